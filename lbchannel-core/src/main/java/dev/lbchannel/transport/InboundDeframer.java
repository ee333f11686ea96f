package dev.lbchannel.transport;

import io.grpc.Decompressor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * Splits one stream's DATA payloads into gRPC's length-prefixed messages without copying: the
 * payloads are kept as retained buffers and a message is handed out as a slice of them (a
 * composite when it spans payloads). Holds at most what the stream's flow-control window lets the
 * server send, because window is returned only as messages are taken.
 *
 * <p>Event-loop confined. {@link #close()} releases everything still held.
 */
final class InboundDeframer {

    /** Sized for the usual few payloads; a stream with many in flight grows it. */
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>(4);
    private final ByteBufAllocator alloc;
    private final int maxMessageSize;
    private @Nullable Decompressor decompressor;
    private @Nullable String encoding;
    private long readable;
    private int lastFrameBytes;
    private boolean closed;

    InboundDeframer(ByteBufAllocator alloc, int maxMessageSize) {
        this.alloc = alloc;
        this.maxMessageSize = maxMessageSize;
    }

    /** Sets the response's {@code grpc-encoding}: its decompressor, or {@code null} if unknown or none. */
    void encoding(@Nullable String encoding, @Nullable Decompressor decompressor) {
        this.encoding = encoding;
        this.decompressor = decompressor;
    }

    /** Takes ownership of {@code data}. */
    void add(ByteBuf data) {
        if (closed || !data.isReadable()) {
            data.release();
            return;
        }
        chunks.add(data);
        readable += data.readableBytes();
    }

    /** Bytes held, whole messages or not. */
    long bufferedBytes() {
        return readable;
    }

    boolean isEmpty() {
        return readable == 0;
    }

    /** Whether a whole message is buffered. */
    boolean hasCompleteMessage() {
        return readable >= MessageFramer.HEADER_LENGTH
                && readable >= MessageFramer.HEADER_LENGTH + messageLength();
    }

    /** The wire size (prefix included) of the message {@link #next()} returned last. */
    int lastFrameBytes() {
        return lastFrameBytes;
    }

    /**
     * Takes the next whole message, or returns {@code null} when it has not fully arrived.
     *
     * @throws StatusException RESOURCE_EXHAUSTED when its declared length is over the limit,
     *     INTERNAL when its flags are invalid or it is compressed without a usable grpc-encoding
     */
    @Nullable InputStream next() throws StatusException {
        if (readable < MessageFramer.HEADER_LENGTH) {
            return null;
        }
        int flags = byteAt(0);
        long length = messageLength();
        if ((flags & 0xfe) != 0) {
            throw Status.INTERNAL.withDescription("gRPC frame has invalid flags " + flags).asException();
        }
        if (length > maxMessageSize) {
            throw Status.RESOURCE_EXHAUSTED.withDescription("gRPC message exceeds maximum size "
                    + maxMessageSize + ": " + length).asException();
        }
        if (flags == 1 && decompressor == null) {
            throw Status.INTERNAL.withDescription(encoding == null || "identity".equals(encoding)
                    ? "Compressed gRPC message but the response named no grpc-encoding"
                    : "Compressed gRPC message in unsupported encoding " + encoding).asException();
        }
        if (readable < MessageFramer.HEADER_LENGTH + length) {
            return null;
        }
        skip(MessageFramer.HEADER_LENGTH);
        InboundMessage message = new InboundMessage(take((int) length));
        lastFrameBytes = MessageFramer.HEADER_LENGTH + (int) length;
        return flags == 1 ? new DecompressingMessage(message, decompressor, maxMessageSize) : message;
    }

    /** Releases every buffer held; later data is dropped. Idempotent. */
    void close() {
        closed = true;
        for (ByteBuf chunk; (chunk = chunks.poll()) != null; ) {
            chunk.release();
        }
        readable = 0;
    }

    private long messageLength() {
        return (long) byteAt(1) << 24 | byteAt(2) << 16 | byteAt(3) << 8 | byteAt(4);
    }

    private int byteAt(int index) {
        int offset = index;
        for (ByteBuf chunk : chunks) {
            int n = chunk.readableBytes();
            if (offset < n) {
                return chunk.getUnsignedByte(chunk.readerIndex() + offset);
            }
            offset -= n;
        }
        throw new IndexOutOfBoundsException("index " + index + " of " + readable);
    }

    private void skip(int count) {
        int remaining = count;
        while (remaining > 0) {
            ByteBuf head = chunks.peek();
            int n = Math.min(remaining, head.readableBytes());
            head.skipBytes(n);
            remaining -= n;
            releaseIfDrained(head);
        }
        readable -= count;
    }

    private ByteBuf take(int length) {
        if (length == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        readable -= length;
        ByteBuf head = chunks.peek();
        if (head.readableBytes() >= length) {
            ByteBuf slice = head.readRetainedSlice(length);
            releaseIfDrained(head);
            return slice;
        }
        CompositeByteBuf composite = alloc.compositeBuffer(Math.max(2, chunks.size()));
        int remaining = length;
        while (remaining > 0) {
            head = chunks.peek();
            int n = Math.min(remaining, head.readableBytes());
            composite.addComponent(true, head.readRetainedSlice(n));
            remaining -= n;
            releaseIfDrained(head);
        }
        return composite;
    }

    private void releaseIfDrained(ByteBuf head) {
        if (!head.isReadable()) {
            chunks.poll();
            head.release();
        }
    }
}
