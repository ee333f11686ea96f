package dev.lbchannel.transport;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One received, uncompressed message, read straight from the DATA frames' buffers (no copy): a
 * window {@code [index, end)} of a buffer it holds one reference to. Several messages of one
 * DATA frame share that buffer, each with a reference of its own, so a message costs this one
 * object and no slice. Owns its reference: {@link #close()} releases it, and reading after close
 * returns end of stream. Not thread-safe; handed from the event loop to one reader.
 */
final class InboundMessage extends InputStream implements KnownLength, Drainable {

    private final ByteBuf buffer;
    private int index;
    private final int end;
    private boolean closed;

    /** Takes over one reference to {@code buffer}; the message is its bytes {@code [index, index + length)}. */
    InboundMessage(ByteBuf buffer, int index, int length) {
        this.buffer = buffer;
        this.index = index;
        this.end = index + length;
    }

    @Override
    public int read() {
        return available() == 0 ? -1 : buffer.getUnsignedByte(index++);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int readable = available();
        if (readable == 0) {
            return -1;
        }
        int n = Math.min(readable, len);
        buffer.getBytes(index, b, off, n);
        index += n;
        return n;
    }

    @Override
    public long skip(long n) {
        int skipped = (int) Math.min(available(), Math.max(0, n));
        index += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return closed ? 0 : end - index;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
        int n = available();
        if (n > 0) {
            buffer.getBytes(index, target, n);
            index += n;
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
