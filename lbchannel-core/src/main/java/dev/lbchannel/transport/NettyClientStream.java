package dev.lbchannel.transport;

import io.grpc.DecompressorRegistry;
import io.grpc.Metadata;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import org.jspecify.annotations.Nullable;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

import static java.util.Objects.requireNonNull;

/**
 * One RPC on a {@link NettyClientTransport}. The {@link ClientStream} methods run on the caller's
 * thread and only queue commands (see {@link StreamCommands}); everything here is confined to the
 * event loop: the HTTP/2 stream (assigned lazily, once the connection can open it), its writes,
 * the response ({@link ResponseReader}), and the listener, which hears every event on the loop.
 *
 * <p>A command that throws, or a write the connection fails, fails this stream with a status:
 * the listener always hears why, never only a log.
 */
final class NettyClientStream extends StreamCommands implements GenericFutureListener<ChannelFuture> {

    private static final Object END_OF_STREAM = new Object();

    private final GrpcClientHandler handler;
    private final Http2Headers requestHeaders;
    private final int maxInboundMessageSize;
    private final DecompressorRegistry decompressors;
    private final @Nullable StreamTracers tracers;
    /** Set by {@link #start}, before the stream is handed to the event loop. */
    private @Nullable ClientStreamListener listener;
    private @Nullable ResponseReader response;

    // Event-loop confined.
    private @Nullable ChannelPromise headersPromise;
    private @Nullable Http2StreamState http2Stream;
    private @Nullable ArrayDeque<Object> pendingWrites;
    private boolean localEndSent;
    private boolean remoteEnded;
    private boolean remoteReset;
    private boolean closed;

    /** @param oneRequestMessage whether the RPC sends one message, then half-closes (unary, server streaming) */
    NettyClientStream(GrpcClientHandler handler, WriteQueue writeQueue, Http2Headers requestHeaders,
            boolean oneRequestMessage, int maxInboundMessageSize, DecompressorRegistry decompressors, @Nullable Integer onReadyThreshold,
            @Nullable StreamTracers tracers) {
        super(writeQueue, oneRequestMessage, onReadyThreshold);
        this.handler = handler;
        this.requestHeaders = requestHeaders;
        this.maxInboundMessageSize = maxInboundMessageSize;
        this.decompressors = decompressors;
        this.tracers = tracers;
    }

    // ---- ClientStream, on the caller's thread ----

    @Override
    public void start(ClientStreamListener streamListener) {
        if (listener != null) {
            throw new IllegalStateException("Stream already started");
        }
        listener = requireNonNull(streamListener, "listener");
        response = new ResponseReader(this, handler, streamListener, maxInboundMessageSize, decompressors, tracers);
        if (writeQueue.isIdleInLoop()) {
            // Started from a callback on the loop: open it now; the read's end or a batch flushes.
            handler.createStream(this);
            writeQueue.flushAfterInline();
        } else if (oneRequestMessage) {
            writeQueue.enqueue(() -> handler.createStream(this)); // the message and half-close follow: one flush
        } else {
            writeQueue.enqueueAndFlush(() -> handler.createStream(this));
        }
    }

    // ---- Event loop: outbound ----

    Http2Headers requestHeaders() {
        return requestHeaders;
    }

    /** The promise of this stream's HEADERS write: if it fails, the server never saw the stream. */
    ChannelPromise newHeadersPromise(ChannelHandlerContext ctx) {
        ChannelPromise promise = ctx.newPromise();
        headersPromise = promise;
        return promise.addListener(this);
    }

    /** The HTTP/2 stream was opened; its HEADERS are written next. */
    void opened(Http2StreamState stream) {
        http2Stream = stream;
    }

    /** The stream's HEADERS were written; sends what the application queued. */
    void allocated() {
        if (tracers != null) {
            tracers.outboundHeaders();
        }
        ArrayDeque<Object> queued = pendingWrites;
        pendingWrites = null;
        if (queued != null) {
            for (Object write; (write = queued.poll()) != null; ) {
                if (write == END_OF_STREAM) {
                    onHalfClose();
                } else {
                    onWrite((ByteBuf) write, queued.peek() == END_OF_STREAM);
                }
            }
        }
        allocated = true;
        if (!closed && isReady()) {
            listener.onReady();
        }
    }

    /** Writes one message, with END_STREAM when it is the last: one DATA frame for both. */
    @Override
    void onWrite(ByteBuf message, boolean endStream) {
        int size = message.readableBytes();
        if (closed) {
            message.release();
            addQueued(-size);
        } else if (http2Stream == null) {
            pendingWrites().add(message);
            if (endStream) {
                pendingWrites().add(END_OF_STREAM);
            }
        } else {
            ChannelPromise promise = handler.newPromise();
            if (endStream) {
                // Readiness no longer matters once the application half-closed: count the bytes
                // as sent now; only a failure is listened for (the whole of a unary request).
                addQueued(-size);
                promise.addListener(this);
            } else {
                promise.addListener(f -> {
                    if (!f.isSuccess()) {
                        writeFailed(f.cause(), RpcProgress.PROCESSED);
                    }
                    onSent(size);
                });
            }
            boolean last = endStream && !localEndSent;
            localEndSent |= last;
            try {
                handler.writeData(http2Stream, message, last, promise);
            } catch (RuntimeException e) {
                promise.tryFailure(e); // the listener above fails the stream
            }
        }
    }

    @Override
    void onHalfClose() {
        if (closed || localEndSent) {
            return;
        }
        if (http2Stream == null) {
            pendingWrites().add(END_OF_STREAM);
            return;
        }
        localEndSent = true;
        ChannelPromise promise = handler.newPromise().addListener(this);
        try {
            handler.writeData(http2Stream, Unpooled.EMPTY_BUFFER, true, promise);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
        }
    }

    /** A write of this stream finished: a failed one fails the stream with why. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (!future.isSuccess()) {
            writeFailed(future.cause(), future == headersPromise ? RpcProgress.MISCARRIED : RpcProgress.PROCESSED);
        }
    }

    /**
     * A frame of this stream could not be written.
     *
     * @param progress PROCESSED, or MISCARRIED for HEADERS that never left because the connection
     *     was closing: the server never saw the stream, so the call may try it elsewhere
     */
    void writeFailed(Throwable cause, RpcProgress progress) {
        if (closed || cause == SendWindows.STREAM_CLOSED) {
            return; // what closed the HTTP/2 stream decides how this one ends
        }
        Status status;
        if (cause instanceof ClosedChannelException || !handler.acceptsStreams()) {
            status = handler.closeStatus();
        } else {
            progress = RpcProgress.PROCESSED; // a failure of the frame itself would fail again elsewhere
            status = Status.fromThrowable(cause);
            if (status.getCode() == Status.Code.UNKNOWN) {
                status = Status.INTERNAL.withDescription("Failed to write the request: " + cause).withCause(cause);
            }
        }
        close(status, progress, new Metadata());
    }

    private void onSent(int size) {
        int after = addQueued(-size);
        if (!closed && allocated && after < onReadyThreshold && after + size >= onReadyThreshold) {
            listener.onReady();
        }
    }

    private ArrayDeque<Object> pendingWrites() {
        if (pendingWrites == null) {
            pendingWrites = new ArrayDeque<>(4);
        }
        return pendingWrites;
    }

    @Override
    void onCancel(Status reason) {
        if (!closed) {
            close(reason, RpcProgress.PROCESSED, new Metadata());
        }
    }

    @Override
    void onRequest() {
        int requested = takeRequests();
        try {
            response.request(requested);
        } catch (RuntimeException e) {
            fail(Status.INTERNAL.withDescription("Failed to deliver a response message: " + e).withCause(e));
        }
    }

    // ---- Event loop: inbound, from the handler and the ResponseReader ----

    /** Whether this stream still wants frames; the handler returns window for those it refuses. */
    boolean isOpen() {
        return !closed;
    }

    boolean isClosed() {
        return closed;
    }

    @Nullable Http2StreamState http2Stream() {
        return http2Stream;
    }

    void onHeaders(Http2Headers headers, boolean endStream) {
        if (!closed) {
            remoteEnded |= endStream;
            response.onHeaders(headers, endStream);
        }
    }

    /** Takes a reference to {@code data} when it keeps it. */
    void onData(ByteBuf data, boolean endStream) {
        if (!closed) {
            remoteEnded |= endStream;
            response.onData(data, endStream);
        }
    }

    void onRstStream(long errorCode) {
        remoteReset = true;
        if (closed || response.trailersReceived()) {
            return; // the outcome is known already; buffered messages still go out
        }
        RpcProgress progress = errorCode == Http2Error.REFUSED_STREAM.code()
                ? RpcProgress.REFUSED : RpcProgress.PROCESSED;
        close(ResponseStatus.fromRstStream(errorCode), progress, new Metadata());
    }

    /** Closes at once, dropping undelivered messages: the connection failed or refused the stream. */
    void transportFailed(Status status, RpcProgress progress) {
        if (!closed) {
            close(status, progress, new Metadata());
        }
    }

    /** Fails the stream for a local error (bad frame, oversized message): resets it and closes. */
    void fail(Status status) {
        if (!closed) {
            close(status, RpcProgress.PROCESSED, new Metadata());
        }
    }

    /** The server ended the stream and every message of the response was delivered: closes with the trailers' outcome. */
    void end(Status status, Metadata trailers) {
        if (!closed) {
            close(status, RpcProgress.COMPLETED, trailers, true);
        }
    }

    /** The bytes received but not yet delivered, for tests and stats. */
    long bufferedInboundBytes() {
        return response.bufferedBytes();
    }

    private void close(Status status, RpcProgress progress, Metadata trailers) {
        close(status, progress, trailers, false);
    }

    private void close(Status status, RpcProgress progress, Metadata trailers, boolean serverEnded) {
        closed = true;
        closedForApp = true;
        response.close();
        discardHeldMessage();
        releasePendingWrites();
        Http2StreamState stream = http2Stream;
        // Open until END_STREAM went out both ways (not just queued) or either side reset it. The
        // server's END_STREAM may be in the frame being read, which marks the stream only after
        // this: with this client's own sent, a reset would be a frame for the server to drop.
        boolean resetNeeded = stream != null && !remoteReset && !stream.closed && !(serverEnded && stream.localEnded);
        handler.streamClosed(this, stream, resetNeeded, status.isOk());
        if (tracers != null) {
            tracers.streamClosed(status);
        }
        listener.onClose(status, progress, trailers);
    }

    private void releasePendingWrites() {
        ArrayDeque<Object> queued = pendingWrites;
        pendingWrites = null;
        if (queued != null) {
            for (Object write; (write = queued.poll()) != null; ) {
                if (write instanceof ByteBuf buf) {
                    addQueued(-buf.readableBytes());
                    buf.release();
                }
            }
        }
    }
}
