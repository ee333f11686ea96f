package dev.lbchannel;

import dev.lbchannel.transport.ClientStream;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * What a call sent before it was committed to one stream: its framed messages, how many
 * messages it requested, and whether it half-closed. A stream that starts late, or that replaces
 * one the server refused, is brought up to date from here. Guarded by the owning call's lock.
 */
final class OutboundBuffer {

    private final List<ByteBuf> messages = new ArrayList<>(2);
    private long bytes;
    private int requested;
    private boolean halfClosed;

    /** Keeps {@code framedMessage}, taking ownership of one reference. */
    void addMessage(ByteBuf framedMessage) {
        messages.add(framedMessage);
        bytes += framedMessage.readableBytes();
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

    /** Replays everything into {@code stream}; the buffer keeps its own references. */
    void replayInto(ClientStream stream) {
        if (requested > 0) {
            stream.request(requested);
        }
        for (ByteBuf message : messages) {
            stream.writeMessage(message.retainedDuplicate());
        }
        if (halfClosed) {
            stream.halfClose();
        } else {
            stream.flush();
        }
    }

    /** Drops the kept messages; nothing can be replayed afterwards. */
    void release() {
        for (ByteBuf message : messages) {
            message.release();
        }
        messages.clear();
        bytes = 0;
    }
}
