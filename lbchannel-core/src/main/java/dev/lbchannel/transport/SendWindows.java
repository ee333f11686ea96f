package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

import java.util.ArrayDeque;
import java.util.Collection;

import static io.netty.handler.codec.http2.Http2Exception.connectionError;
import static io.netty.handler.codec.http2.Http2Exception.streamError;

/**
 * The client's outbound flow control (RFC 9113 §6.9): the connection's send window and each
 * stream's, and the DATA that waits for them. A write goes to the socket at once as far as both
 * windows and the peer's frame size allow, cut into frames where it must; what does not fit waits
 * in its stream, in order, until a WINDOW_UPDATE or a larger SETTINGS_INITIAL_WINDOW_SIZE lets it
 * go. Streams waiting only for the connection's window resume in the order they began to wait.
 *
 * <p>A write's promise completes when its last frame is written (and fails if any frame fails),
 * so that a stream's readiness follows the bytes that reached the socket, as gRPC's does. A
 * stream that closes fails what still waits. Event-loop confined.
 */
final class SendWindows {

    /** RFC 9113 §6.9.2: the initial window of a connection and, until SETTINGS say otherwise, of a stream. */
    static final int DEFAULT_WINDOW = 65_535;
    private static final int MAX_WINDOW = Integer.MAX_VALUE;

    private final GrpcClientHandler handler;
    private final ClientFrameWriter writer;
    private int connectionWindow = DEFAULT_WINDOW;
    private int initialStreamWindow = DEFAULT_WINDOW;
    /** Streams whose DATA waits, each once, in the order they began to wait. */
    private final ArrayDeque<Http2StreamState> waiting = new ArrayDeque<>(2);

    SendWindows(GrpcClientHandler handler, ClientFrameWriter writer) {
        this.handler = handler;
        this.writer = writer;
    }

    /** The send window a new stream starts with. */
    int initialStreamWindow() {
        return initialStreamWindow;
    }

    int connectionWindow() {
        return connectionWindow;
    }

    /** Writes {@code data} (released here) on {@code stream}, or queues what the windows do not allow yet. */
    void write(ChannelHandlerContext ctx, Http2StreamState stream, ByteBuf data, boolean endStream,
            ChannelPromise promise) {
        if (stream.closed || stream.localEnded) {
            data.release();
            promise.tryFailure(new IllegalStateException(stream + " is closed for sending"));
            return;
        }
        if (stream.hasQueued()) {
            QueuedData last = stream.queued.peekLast();
            if (!last.endStream) {
                last.append(ctx, data, endStream, promise);
            } else {
                stream.queued.add(new QueuedData(data, endStream, promise));
            }
            return;
        }
        if (!writeWhatFits(ctx, stream, data, endStream, promise)) {
            queue(stream, new QueuedData(data, endStream, promise));
        } else if (endStream) {
            handler.localEnded(stream);
        }
    }

    /** WINDOW_UPDATE for the connection: writes what waited for it. */
    void connectionWindowUpdate(ChannelHandlerContext ctx, int increment) throws Http2Exception {
        if (increment > MAX_WINDOW - connectionWindow) {
            throw connectionError(Http2Error.FLOW_CONTROL_ERROR, "Connection send window overflows 2^31-1");
        }
        connectionWindow += increment;
        writeWaiting(ctx);
    }

    /** WINDOW_UPDATE for a stream: writes what of it waited. */
    void streamWindowUpdate(ChannelHandlerContext ctx, Http2StreamState stream, int increment)
            throws Http2Exception {
        if (increment > MAX_WINDOW - stream.sendWindow) {
            throw streamError(stream.id, Http2Error.FLOW_CONTROL_ERROR, "Send window of stream %d overflows 2^31-1",
                    stream.id);
        }
        stream.sendWindow += increment;
        if (stream.hasQueued() && drain(ctx, stream)) {
            waiting.remove(stream);
        }
    }

    /**
     * The server's SETTINGS_INITIAL_WINDOW_SIZE: every open stream's window moves by the change
     * (RFC 9113 §6.9.2, possibly below zero), then what waited and now fits is written.
     */
    void initialWindowSize(ChannelHandlerContext ctx, int size, Collection<Http2StreamState> open)
            throws Http2Exception {
        int delta = size - initialStreamWindow;
        initialStreamWindow = size;
        for (Http2StreamState stream : open) {
            if (delta > 0 && delta > MAX_WINDOW - stream.sendWindow) {
                throw connectionError(Http2Error.FLOW_CONTROL_ERROR,
                        "SETTINGS_INITIAL_WINDOW_SIZE makes the window of stream %d overflow 2^31-1", stream.id);
            }
            stream.sendWindow += delta;
        }
        if (delta > 0) {
            writeWaiting(ctx);
        }
    }

    /** The stream closed: what of it waits will never be written, and its promises fail. */
    void streamClosed(Http2StreamState stream) {
        ArrayDeque<QueuedData> queued = stream.queued;
        if (queued == null || queued.isEmpty()) {
            return;
        }
        waiting.remove(stream);
        Exception cause = new IllegalStateException(stream + " closed before its DATA could be sent");
        for (QueuedData next; (next = queued.poll()) != null; ) {
            next.data.release();
            next.promise.tryFailure(cause);
        }
    }

    private void writeWaiting(ChannelHandlerContext ctx) {
        for (int n = waiting.size(); n > 0 && connectionWindow > 0; n--) {
            Http2StreamState stream = waiting.poll();
            if (!drain(ctx, stream)) {
                waiting.add(stream); // its own window stopped it, or the connection's ran out
            }
        }
    }

    /** Writes the stream's queued DATA while the windows allow; whether none is left. */
    private boolean drain(ChannelHandlerContext ctx, Http2StreamState stream) {
        ArrayDeque<QueuedData> queued = stream.queued;
        for (QueuedData next; (next = queued.peek()) != null; ) {
            if (!writeWhatFits(ctx, stream, next.data, next.endStream, next.promise)) {
                return false;
            }
            queued.poll();
            if (next.endStream) {
                handler.localEnded(stream); // last: nothing can follow END_STREAM
            }
        }
        return true;
    }

    private void queue(Http2StreamState stream, QueuedData data) {
        if (stream.queued == null) {
            stream.queued = new ArrayDeque<>(2);
        }
        stream.queued.add(data);
        waiting.add(stream);
    }

    /**
     * Writes as much of {@code data} as the windows and the frame size allow. Returns whether all
     * of it went (then its promise is the last frame's; the caller ends the stream's sending side
     * when it was the last); otherwise {@code data} holds the rest.
     */
    private boolean writeWhatFits(ChannelHandlerContext ctx, Http2StreamState stream, ByteBuf data, boolean endStream,
            ChannelPromise promise) {
        int size = data.readableBytes();
        int allowed = Math.min(stream.sendWindow, connectionWindow);
        while (size > 0 && size > Math.min(allowed, writer.maxFrameSize())) {
            int chunk = Math.min(allowed, writer.maxFrameSize());
            if (chunk <= 0) {
                return false;
            }
            ChannelFuture part = writer.writeData(ctx, stream.id, data.readRetainedSlice(chunk), false,
                    ctx.newPromise());
            part.addListener(f -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                }
            });
            consume(stream, chunk);
            allowed -= chunk;
            size -= chunk;
        }
        if (promise.isDone()) { // an earlier frame of it failed: the connection is going
            data.release();
            return true;
        }
        writer.writeData(ctx, stream.id, data, endStream, promise);
        consume(stream, size);
        return true;
    }

    private void consume(Http2StreamState stream, int bytes) {
        stream.sendWindow -= bytes;
        connectionWindow -= bytes;
    }

    /**
     * Writes that wait for a window. Writes queued one after another join into one buffer, so that
     * they go out in as few frames as the window allows once it opens, as Netty's queue does.
     */
    static final class QueuedData {
        ByteBuf data;
        boolean endStream;
        final ChannelPromise promise;

        QueuedData(ByteBuf data, boolean endStream, ChannelPromise promise) {
            this.data = data;
            this.endStream = endStream;
            this.promise = promise;
        }

        /** Joins a later write: its promise completes with this one's, when the last byte is out. */
        void append(ChannelHandlerContext ctx, ByteBuf more, boolean end, ChannelPromise morePromise) {
            CompositeByteBuf joined = data instanceof CompositeByteBuf composite ? composite
                    : ctx.alloc().compositeBuffer(Integer.MAX_VALUE).addComponent(true, data);
            data = joined.addComponent(true, more);
            endStream = end;
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    morePromise.trySuccess();
                } else {
                    morePromise.tryFailure(f.cause());
                }
            });
        }
    }
}
