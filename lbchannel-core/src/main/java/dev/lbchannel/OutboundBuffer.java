package dev.lbchannel;

import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.MessageFramer;
import dev.lbchannel.transport.StreamTracers;
import io.netty.buffer.ByteBuf;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * What a call sent before it was committed to one stream: its framed messages, how many
 * messages it requested, and whether it half-closed. A stream that starts late, or that replaces
 * one the server refused, is brought up to date from here. A traced call's buffer also keeps the
 * messages' sizes, which the new stream's tracers hear. Guarded by the owning call's lock.
 */
final class OutboundBuffer {

    /**
     * The first message, kept as the very buffer the stream was given (no derived buffer: most
     * calls send one message before they commit), with its bounds as of then, because the
     * stream's write moves that buffer's reader index.
     */
    private @Nullable ByteBuf first;
    private int firstStart;
    private int firstLength;
    /** Later messages, each with indexes of its own; created for the second message. */
    private @Nullable List<ByteBuf> rest;
    private long bytes;
    private int requested;
    private boolean halfClosed;
    private final @Nullable SentSizes sizes;
    /** Bytes of this buffer counted in the channel's {@link RetryBuffer} (calls with a retry or hedging policy). */
    private long channelBytes;

    OutboundBuffer(boolean traced) {
        this.sizes = traced ? new SentSizes() : null;
    }

    /** Whether the call has stream tracers; may be asked without the lock. */
    boolean traced() {
        return sizes != null;
    }

    /**
     * Keeps {@code framedMessage}'s readable bytes as they are now, taking ownership of one
     * reference; the caller may hand the same buffer to a stream.
     *
     * @param uncompressedBytes the message's size before compression, kept only when traced
     */
    void addMessage(ByteBuf framedMessage, int uncompressedBytes) {
        int length = framedMessage.readableBytes();
        if (sizes != null) {
            sizes.add(length - MessageFramer.HEADER_LENGTH, uncompressedBytes);
        }
        if (first == null && rest == null) {
            first = framedMessage;
            firstStart = framedMessage.readerIndex();
            firstLength = length;
        } else {
            if (rest == null) {
                rest = new ArrayList<>(4);
            }
            rest.add(framedMessage.retainedSlice(framedMessage.readerIndex(), length));
            framedMessage.release();
        }
        bytes += length;
    }

    void addRequest(int numMessages) {
        requested += numMessages;
    }

    void halfClose() {
        halfClosed = true;
    }

    long bytes() {
        return bytes;
    }

    /**
     * Whether {@code more} bytes may still be kept: they fit under {@code perCallLimit} and, for a
     * call with a policy ({@code channelBuffer} set), in the channel's buffer, where they are then
     * counted until {@link #release(RetryBuffer)}.
     */
    boolean fits(int more, long perCallLimit, @Nullable RetryBuffer channelBuffer) {
        if (bytes + more > perCallLimit) {
            return false;
        }
        if (channelBuffer == null) {
            return true;
        }
        if (!channelBuffer.tryReserve(more)) {
            return false;
        }
        channelBytes += more;
        return true;
    }

    /** Drops the kept messages, giving their share of the channel's buffer back. */
    void release(@Nullable RetryBuffer channelBuffer) {
        release();
        if (channelBuffer != null && channelBytes > 0) {
            channelBuffer.release(channelBytes);
            channelBytes = 0;
        }
    }

    /**
     * Replays everything into {@code stream}, reporting the messages to its {@code tracers} when
     * it has some; the buffer keeps its own references.
     */
    void replayInto(ClientStream stream, @Nullable StreamTracers tracers) {
        if (requested > 0) {
            stream.request(requested);
        }
        if (first != null) {
            stream.writeMessage(first.retainedSlice(firstStart, firstLength));
        }
        List<ByteBuf> later = rest;
        // By index and up to today's size: the stream may call back into the call (same thread,
        // same lock) when it acts inline, and a message added then goes to the stream directly.
        for (int i = 0, n = later == null ? 0 : later.size(); i < n; i++) {
            stream.writeMessage(later.get(i).retainedDuplicate());
        }
        if (tracers != null && sizes != null) {
            sizes.reportTo(tracers);
        }
        if (halfClosed) {
            stream.halfClose();
        } else {
            stream.flush();
        }
    }

    /** Drops the kept messages; nothing can be replayed afterwards. */
    void release() {
        ByteBuf kept = first;
        List<ByteBuf> later = rest;
        first = null;
        rest = null;
        if (kept != null) {
            kept.release();
        }
        if (later != null) {
            for (ByteBuf message : later) {
                message.release();
            }
        }
        bytes = 0;
        if (sizes != null) {
            sizes.release();
        }
    }
}
