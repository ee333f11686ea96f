package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.Collection;

import static io.netty.handler.codec.http2.Http2Exception.connectionError;
import static io.netty.handler.codec.http2.Http2Exception.streamError;

/**
 * The client's outbound flow control (RFC 9113 §6.9): the connection's send window and each
 * stream's, and the DATA that waits for them. A write goes to the socket at once as far as both
 * windows, the peer's frame size and the socket's buffer allow, cut into frames where it must;
 * what does not fit waits in its stream, in order, until a WINDOW_UPDATE, a larger
 * SETTINGS_INITIAL_WINDOW_SIZE or a writable socket lets it go. Waiting streams take turns a frame
 * at a time, so that a large upload does not hold a small call's request behind all of its bytes.
 *
 * <p>A write's promise completes when its last frame is written (and fails if any frame fails),
 * so that a stream's readiness follows the bytes that reached the socket, as gRPC's does. When a
 * stream closes, what still waits is dropped and its promises fail with {@link #STREAM_CLOSED}:
 * whoever closed the stream has already decided the call's outcome. Event-loop confined.
 */
final class SendWindows {

    /** RFC 9113 §6.9.2: the initial window of a connection and, until SETTINGS say otherwise, of a stream. */
    static final int DEFAULT_WINDOW = 65_535;
    /** Why waiting DATA was dropped: its stream closed, for a reason its call already heard. */
    static final Exception STREAM_CLOSED = new StreamClosedBeforeWrite();
    private static final long MAX_WINDOW = Integer.MAX_VALUE;

    private final GrpcClientHandler handler;
    private final ClientFrameWriter writer;
    private int connectionWindow = DEFAULT_WINDOW;
    private int initialStreamWindow = DEFAULT_WINDOW;
    /** Streams whose DATA waits, each once, in turn. */
    /** Made when a stream first has to wait: a connection whose writes always fit never needs it. */
    private @Nullable ArrayDeque<Http2StreamState> waiting;

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

    /** Writes {@code data} (released here) on {@code stream}, or queues what may not go yet. */
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
        if (writeWhatFits(ctx, stream, data, endStream, promise, Integer.MAX_VALUE)) {
            if (endStream) {
                handler.localEnded(stream);
            }
        } else {
            queue(stream, new QueuedData(data, endStream, promise));
        }
    }

    /** WINDOW_UPDATE for the connection: writes what waited for it. */
    void connectionWindowUpdate(ChannelHandlerContext ctx, int increment) throws Http2Exception {
        if (connectionWindow + (long) increment > MAX_WINDOW) {
            throw connectionError(Http2Error.FLOW_CONTROL_ERROR, "Connection send window overflows 2^31-1");
        }
        connectionWindow += increment;
        writeWaiting(ctx);
    }

    /** WINDOW_UPDATE for a stream: what waited may go again. */
    void streamWindowUpdate(ChannelHandlerContext ctx, Http2StreamState stream, int increment)
            throws Http2Exception {
        if (stream.sendWindow + (long) increment > MAX_WINDOW) {
            throw streamError(stream.id, Http2Error.FLOW_CONTROL_ERROR, "Send window of stream %d overflows 2^31-1",
                    stream.id);
        }
        stream.sendWindow += increment;
        if (stream.hasQueued()) {
            writeWaiting(ctx);
        }
    }

    /**
     * The server's SETTINGS_INITIAL_WINDOW_SIZE: every open stream's window moves by the change
     * (RFC 9113 §6.9.2, possibly below zero), then what waited and now fits is written.
     */
    void initialWindowSize(ChannelHandlerContext ctx, int size, Collection<Http2StreamState> open)
            throws Http2Exception {
        int delta = size - initialStreamWindow;
        for (Http2StreamState stream : open) {
            if (stream.sendWindow + (long) delta > MAX_WINDOW) {
                throw connectionError(Http2Error.FLOW_CONTROL_ERROR,
                        "SETTINGS_INITIAL_WINDOW_SIZE makes the window of stream %d overflow 2^31-1", stream.id);
            }
        }
        initialStreamWindow = size;
        for (Http2StreamState stream : open) {
            stream.sendWindow += delta;
        }
        if (delta > 0) {
            writeWaiting(ctx);
        }
    }

    /**
     * Writes what waits, a frame per stream in turn, while the socket takes more and the
     * connection's window allows; streams whose own window is shut keep their place.
     */
    void writeWaiting(ChannelHandlerContext ctx) {
        ArrayDeque<Http2StreamState> waiting = this.waiting;
        if (waiting == null) {
            return;
        }
        int stalled = 0;
        while (stalled < waiting.size() && ctx.channel().isWritable()) {
            Http2StreamState stream = waiting.poll();
            QueuedData next = stream.queued.poll();
            int windowBefore = connectionWindow;
            boolean done = writeWhatFits(ctx, stream, next.data, next.endStream, next.promise, writer.maxFrameSize());
            if (!done) {
                stream.queued.addFirst(next);
            } else if (next.endStream) {
                handler.localEnded(stream); // last: nothing can follow END_STREAM
            }
            if (stream.hasQueued() && !stream.closed) {
                waiting.add(stream);
                stalled = done || connectionWindow != windowBefore ? 0 : stalled + 1;
            } else {
                stalled = 0;
            }
        }
    }

    /** The stream closed: what of it waits will never be written, and its promises fail. */
    void streamClosed(Http2StreamState stream) {
        ArrayDeque<QueuedData> queued = stream.queued;
        if (queued == null || queued.isEmpty()) {
            return;
        }
        if (waiting != null) {
            waiting.remove(stream);
        }
        for (QueuedData next; (next = queued.poll()) != null; ) {
            next.data.release();
            next.promise.tryFailure(STREAM_CLOSED);
        }
    }

    private void queue(Http2StreamState stream, QueuedData write) {
        if (stream.queued == null) {
            stream.queued = new ArrayDeque<>(2);
        }
        stream.queued.add(write);
        if (waiting == null) {
            waiting = new ArrayDeque<>(2);
        }
        waiting.add(stream);
    }

    /**
     * Writes as much of {@code data} as the windows, the frame size, the socket and {@code limit}
     * allow. Returns whether all of it went, {@code promise} then the last frame's (the caller ends
     * the stream's sending side when it was the last), or the stream closed meanwhile (the rest is
     * then released); otherwise {@code data} holds the rest.
     */
    private boolean writeWhatFits(ChannelHandlerContext ctx, Http2StreamState stream, ByteBuf data, boolean endStream,
            ChannelPromise promise, int limit) {
        int size = data.readableBytes();
        if (size > 0 && !ctx.channel().isWritable()) {
            return false;
        }
        int allowed = Math.min(Math.min(stream.sendWindow, connectionWindow), limit);
        boolean split = false;
        while (size > 0 && size > Math.min(allowed, writer.maxFrameSize())) {
            int chunk = Math.min(allowed, writer.maxFrameSize());
            if (chunk <= 0) {
                return false;
            }
            split = true;
            writer.writeData(ctx, stream.id, data.readRetainedSlice(chunk), false, ctx.newPromise())
                    .addListener(f -> failWith(promise, (ChannelFuture) f));
            consume(stream, chunk);
            if (stream.closed || promise.isDone()) { // a frame failed, or a listener closed the stream
                data.release();
                promise.tryFailure(STREAM_CLOSED);
                return true;
            }
            allowed -= chunk;
            size -= chunk;
        }
        ChannelPromise last = promise;
        if (split) {
            // Its frames may fail in any order: the write's promise hears the first outcome only.
            last = ctx.newPromise();
            last.addListener(f -> completeWith(promise, (ChannelFuture) f));
        }
        writer.writeData(ctx, stream.id, data, endStream, last);
        consume(stream, size);
        return true;
    }

    private void consume(Http2StreamState stream, int bytes) {
        stream.sendWindow -= bytes;
        connectionWindow -= bytes;
    }

    private static void failWith(ChannelPromise promise, ChannelFuture frame) {
        if (!frame.isSuccess()) {
            promise.tryFailure(frame.cause());
        }
    }

    private static void completeWith(ChannelPromise promise, ChannelFuture frame) {
        if (frame.isSuccess()) {
            promise.trySuccess();
        } else {
            promise.tryFailure(frame.cause());
        }
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
            promise.addListener(f -> completeWith(morePromise, (ChannelFuture) f));
        }
    }

    /** Stackless: it stands for a reason, not a place. */
    private static final class StreamClosedBeforeWrite extends Exception {
        StreamClosedBeforeWrite() {
            super("The stream closed before its DATA could be sent", null, false, false);
        }
    }
}
