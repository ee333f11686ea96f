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
 * <p>Most DATA payloads carry exactly one message, so the first payload is held in a field and a
 * queue exists only while more than one is buffered; a message that is a whole payload is handed
 * out as that payload (no slice); and a message's 5-byte prefix is parsed once, however often the
 * reader asks whether the message is complete.
 *
 * <p>Event-loop confined. {@link #close()} releases everything still held.
 */
final class InboundDeframer {

    private final ByteBufAllocator alloc;
    private final int maxMessageSize;
    private @Nullable Decompressor decompressor;
    private @Nullable String encoding;
    /** The oldest payload held; {@code null} only when nothing is. */
    private @Nullable ByteBuf first;
    /** Payloads after {@link #first}, oldest first; created when a second one is buffered. */
    private @Nullable ArrayDeque<ByteBuf> more;
    private long readable;
    /** The next message's flags and length once its prefix has arrived, else -1. */
    private int nextFlags = -1;
    private long nextLength;
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
        if (first == null) {
            first = data;
        } else {
            if (more == null) {
                more = new ArrayDeque<>(4);
            }
            more.add(data);
        }
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
        return readPrefix() && readable >= MessageFramer.HEADER_LENGTH + nextLength;
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
        if (!readPrefix()) {
            return null;
        }
        int flags = nextFlags;
        long length = nextLength;
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
        nextFlags = -1;
        skip(MessageFramer.HEADER_LENGTH);
        InboundMessage message = take((int) length);
        lastFrameBytes = MessageFramer.HEADER_LENGTH + (int) length;
        return flags == 1 ? new DecompressingMessage(message, decompressor, maxMessageSize) : message;
    }

    /** Releases every buffer held; later data is dropped. Idempotent. */
    void close() {
        closed = true;
        for (ByteBuf chunk; (chunk = first) != null; ) {
            chunk.release();
            pollFirst();
        }
        readable = 0;
    }

    /** Parses the next message's prefix unless done already; false while it has not arrived. */
    private boolean readPrefix() {
        if (nextFlags >= 0) {
            return true;
        }
        if (readable < MessageFramer.HEADER_LENGTH) {
            return false;
        }
        ByteBuf head = first;
        if (head.readableBytes() >= MessageFramer.HEADER_LENGTH) {
            int index = head.readerIndex();
            nextLength = head.getUnsignedInt(index + 1);
            nextFlags = head.getUnsignedByte(index);
        } else {
            nextLength = (long) byteAt(1) << 24 | byteAt(2) << 16 | byteAt(3) << 8 | byteAt(4);
            nextFlags = byteAt(0);
        }
        return true;
    }

    /** A byte of a prefix split across payloads; rare, so walking them is fine. */
    private int byteAt(int index) {
        int offset = index;
        ByteBuf chunk = first;
        java.util.Iterator<ByteBuf> rest = more == null ? null : more.iterator();
        while (chunk != null) {
            int n = chunk.readableBytes();
            if (offset < n) {
                return chunk.getUnsignedByte(chunk.readerIndex() + offset);
            }
            offset -= n;
            chunk = rest != null && rest.hasNext() ? rest.next() : null;
        }
        throw new IndexOutOfBoundsException("index " + index + " of " + readable);
    }

    private void skip(int count) {
        int remaining = count;
        while (remaining > 0) {
            ByteBuf head = first;
            int n = Math.min(remaining, head.readableBytes());
            head.skipBytes(n);
            remaining -= n;
            releaseIfDrained(head);
        }
        readable -= count;
    }

    /** The next {@code length} bytes as a message, which takes a reference to the buffer that holds them. */
    private InboundMessage take(int length) {
        if (length == 0) {
            return new InboundMessage(Unpooled.EMPTY_BUFFER, 0, 0);
        }
        readable -= length;
        ByteBuf head = first;
        int headBytes = head.readableBytes();
        int index = head.readerIndex();
        if (headBytes == length) {
            pollFirst();    // the message is the whole payload: hand it over as it is
            return new InboundMessage(head, index, length);
        }
        if (headBytes > length) {
            head.skipBytes(length);
            return new InboundMessage(head.retain(), index, length);
        }
        CompositeByteBuf composite = alloc.compositeBuffer(Math.max(2, more == null ? 2 : more.size() + 1));
        int remaining = length;
        while (remaining > 0) {
            head = first;
            int n = Math.min(remaining, head.readableBytes());
            composite.addComponent(true, head.readRetainedSlice(n));
            remaining -= n;
            releaseIfDrained(head);
        }
        return new InboundMessage(composite, 0, length);
    }

    private void releaseIfDrained(ByteBuf head) {
        if (!head.isReadable()) {
            pollFirst();
            head.release();
        }
    }

    private void pollFirst() {
        first = more == null ? null : more.poll();
    }
}
