package dev.lbchannel.transport;

import io.grpc.Compressor;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Frames outbound messages as gRPC's PROTOCOL-HTTP2 doc says: a compressed flag, a 4-byte
 * big-endian length, then the (possibly compressed) message bytes. Stateless.
 *
 * <p>A message that knows its length ({@link KnownLength}) is written into one exactly sized
 * buffer. A small one is read whole into a per-thread scratch array first: protobuf's stream then
 * serializes straight into that array, with no output stream, encoder buffer or adapter per
 * message, and the copy into the frame costs less than those allocations. A larger one goes
 * through {@link Drainable#drainTo} when it offers that, so serialization copies its bytes once,
 * straight into the frame.
 */
public final class MessageFramer {

    /** Flag byte plus 4-byte length. */
    public static final int HEADER_LENGTH = 5;
    private static final int COPY_CHUNK = 8192;
    /** Messages up to this size are serialized through the scratch array. */
    private static final int SCRATCH_BYTES = 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

    private MessageFramer() {
    }

    /**
     * Frames an already encoded, small message uncompressed, for the RPCs core makes itself
     * (health checking, ORCA); the caller owns the buffer until it writes it.
     */
    public static ByteBuf frame(byte[] message) {
        ByteBuf frame = ByteBufAllocator.DEFAULT.buffer(HEADER_LENGTH + message.length);
        return frame.writeByte(0).writeInt(message.length).writeBytes(message);
    }

    /**
     * Serializes {@code message} into one framed buffer, compressing it when {@code compressor}
     * is given. Runs on the caller's thread so that serialization never holds an event loop. Does
     * not close {@code message}.
     *
     * @param maxMessageSize the largest uncompressed message allowed; {@link Integer#MAX_VALUE}
     *     for no limit
     * @throws io.grpc.StatusRuntimeException INTERNAL when the message cannot be read,
     *     RESOURCE_EXHAUSTED when it is larger than {@code maxMessageSize}
     */
    public static ByteBuf frame(ByteBufAllocator alloc, InputStream message,
            @Nullable Compressor compressor, int maxMessageSize) {
        requireNonNull(alloc, "alloc");
        requireNonNull(message, "message");
        ByteBuf frame = null;
        try {
            int knownLength = message instanceof KnownLength ? message.available() : -1;
            if (knownLength > maxMessageSize) {
                throw tooLarge(knownLength, maxMessageSize);
            }
            if (compressor == null && knownLength >= 0 && knownLength <= SCRATCH_BYTES) {
                byte[] scratch = SCRATCH.get();
                int read = readFully(message, scratch, knownLength);
                if (read != knownLength || message.read() != -1) {
                    throw Status.INTERNAL.withDescription("Message claimed " + knownLength
                            + " bytes but had " + (read == knownLength ? "more" : read)).asRuntimeException();
                }
                frame = alloc.buffer(HEADER_LENGTH + knownLength);
                frame.writeByte(0).writeInt(knownLength).writeBytes(scratch, 0, knownLength);
                return frame;
            }
            if (compressor == null && knownLength >= 0) {
                frame = alloc.buffer(HEADER_LENGTH + knownLength);
                frame.writeByte(0).writeInt(knownLength);
                int written = message instanceof Drainable drainable
                        ? drainable.drainTo(new ByteBufOutputStream(frame))
                        : readFully(message, frame, knownLength);
                if (written != knownLength) {
                    throw Status.INTERNAL.withDescription("Message claimed " + knownLength
                            + " bytes but had " + written).asRuntimeException();
                }
                return frame;
            }
            frame = alloc.buffer(HEADER_LENGTH + (knownLength > 0 ? knownLength : 256));
            frame.writerIndex(HEADER_LENGTH);
            int written;
            if (compressor == null) {
                written = copy(message, new ByteBufOutputStream(frame));
            } else {
                try (OutputStream compressing = compressor.compress(new ByteBufOutputStream(frame))) {
                    written = copy(message, compressing);
                }
            }
            if (written > maxMessageSize) {
                throw tooLarge(written, maxMessageSize);
            }
            frame.setByte(0, compressor == null ? 0 : 1);
            frame.setInt(1, frame.readableBytes() - HEADER_LENGTH);
            return frame;
        } catch (IOException | RuntimeException e) {
            if (frame != null) {
                frame.release();
            }
            if (e instanceof io.grpc.StatusRuntimeException sre) {
                throw sre;
            }
            throw Status.INTERNAL.withDescription("Failed to frame message").withCause(e).asRuntimeException();
        }
    }

    private static int readFully(InputStream message, byte[] into, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = message.read(into, total, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static int readFully(InputStream message, ByteBuf frame, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = frame.writeBytes(message, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static int copy(InputStream message, OutputStream out) throws IOException {
        if (message instanceof Drainable drainable) {
            return drainable.drainTo(out);
        }
        byte[] chunk = new byte[COPY_CHUNK];
        int total = 0;
        for (int n = message.read(chunk); n != -1; n = message.read(chunk)) {
            out.write(chunk, 0, n);
            total += n;
        }
        return total;
    }

    private static io.grpc.StatusRuntimeException tooLarge(int size, int max) {
        return Status.RESOURCE_EXHAUSTED
                .withDescription("gRPC message exceeds maximum size " + max + ": " + size)
                .asRuntimeException();
    }
}
