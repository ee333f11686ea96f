package dev.lbchannel.transport;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One received, uncompressed message, read straight from the DATA frames' buffers (no copy).
 * Owns its buffer: {@link #close()} releases it, and reading after close returns end of stream.
 * Not thread-safe; handed from the event loop to one reader.
 */
final class InboundMessage extends InputStream implements KnownLength, Drainable {

    private ByteBuf buffer;
    private boolean closed;

    InboundMessage(ByteBuf buffer) {
        this.buffer = buffer;
    }

    @Override
    public int read() {
        return closed || !buffer.isReadable() ? -1 : buffer.readUnsignedByte();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int readable = closed ? 0 : buffer.readableBytes();
        if (readable == 0) {
            return -1;
        }
        int n = Math.min(readable, len);
        buffer.readBytes(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) {
        int skipped = (int) Math.min(closed ? 0 : buffer.readableBytes(), Math.max(0, n));
        buffer.skipBytes(skipped);
        return skipped;
    }

    @Override
    public int available() {
        return closed ? 0 : buffer.readableBytes();
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
        int n = available();
        if (n > 0) {
            buffer.readBytes(target, n);
        }
        return n;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffer.release();
        }
    }
}
