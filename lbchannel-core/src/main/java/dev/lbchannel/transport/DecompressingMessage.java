package dev.lbchannel.transport;

import io.grpc.Decompressor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;

/**
 * A received compressed message, inflated lazily on first read so decompression runs on the
 * reader's thread, never the event loop. Enforces the inbound size limit on the inflated bytes:
 * reading past it throws RESOURCE_EXHAUSTED; a corrupt payload throws INTERNAL (both as
 * {@link InboundMessageException}). Closing releases
 * the underlying buffer. Not thread-safe.
 */
final class DecompressingMessage extends InputStream {

    private final InboundMessage compressed;
    private final Decompressor decompressor;
    private final int maxSize;
    private InputStream inflating;
    private byte @Nullable [] oneByte;
    private long count;
    private boolean closed;
    private @Nullable StreamTracers tracers;

    DecompressingMessage(InboundMessage compressed, Decompressor decompressor, int maxSize) {
        this.compressed = compressed;
        this.decompressor = decompressor;
        this.maxSize = maxSize;
    }

    /** Reports the inflated size to {@code tracers} once the whole message has been read. */
    void reportSizeTo(StreamTracers tracers) {
        this.tracers = tracers;
    }

    @Override
    public int read() throws IOException {
        byte[] one = oneByte;
        if (one == null) {
            one = oneByte = new byte[1]; // parsers reading byte by byte would allocate per byte
        }
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            return -1;
        }
        int n;
        try {
            n = stream().read(b, off, len);
        } catch (IOException e) {
            throw new InboundMessageException(Status.INTERNAL.withDescription("Cannot decompress message with "
                    + decompressor.getMessageEncoding()).withCause(e));
        }
        if (n > 0) {
            count += n;
            if (count > maxSize) {
                throw tooLarge();
            }
        } else if (n < 0 && tracers != null) {
            StreamTracers reportTo = tracers;
            tracers = null; // once, however often the reader hits the end
            reportTo.inboundUncompressedSize(count);
        }
        return n;
    }

    private StatusRuntimeException tooLarge() {
        return new InboundMessageException(Status.RESOURCE_EXHAUSTED.withDescription(
                "Decompressed gRPC message exceeds maximum size " + maxSize));
    }

    private InputStream stream() throws IOException {
        if (inflating == null) {
            inflating = decompressor.decompress(compressed);
        }
        return inflating;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (inflating != null) {
                inflating.close();
            }
        } finally {
            compressed.close();
        }
    }
}
