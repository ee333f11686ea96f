package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Exception.HeaderListSizeException;
import io.netty.handler.codec.http2.Http2Exception.StreamException;
import io.netty.handler.codec.http2.Http2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/2 connection of one {@link NettyClientTransport}: Netty's low-level
 * {@link Http2ConnectionHandler} (no per-stream child channels) plus gRPC's client rules. Opens
 * streams lazily, queueing them while the connection is not ready or at the server's
 * MAX_CONCURRENT_STREAMS; routes frames to {@link NettyClientStream}s (see
 * {@link ResponseFrameListener}); handles GOAWAY, graceful and forceful shutdown, connection loss
 * and keepalive.
 *
 * <p>Event-loop confined: every method runs on the channel's event loop.
 */
final class GrpcClientHandler extends Http2ConnectionHandler implements KeepAlive.Host {

    private final NettyClientTransport transport;
    private final TransportStats stats;
    private final Http2Connection.PropertyKey streamKey;
    private final ArrayDeque<NettyClientStream> pendingStreams = new ArrayDeque<>();
    private final int flowControlWindow;
    private final int maxInboundMetadataSize;
    private final Http2HeadersDecoder.Configuration headersConfig;
    private final @Nullable KeepAlive keepAlive;
    private @Nullable ChannelHandlerContext ctx;
    private boolean ready;
    private boolean closed;
    private @Nullable Status goingAway;

    private GrpcClientHandler(DefaultHttp2ConnectionDecoder decoder, DefaultHttp2ConnectionEncoder encoder,
            Http2Settings settings, NettyClientTransport transport, TransportOptions options,
            long keepAliveTimeNanos, TransportStats stats, Http2HeadersDecoder.Configuration headersConfig) {
        super(decoder, encoder, settings, true);
        this.headersConfig = headersConfig;
        this.transport = transport;
        this.stats = stats;
        this.flowControlWindow = options.flowControlWindow();
        this.maxInboundMetadataSize = options.maxInboundMetadataSize();
        this.streamKey = connection().newKey();
        this.keepAlive = keepAliveTimeNanos == TransportOptions.KEEPALIVE_DISABLED ? null
                : new KeepAlive(this, keepAliveTimeNanos, options.keepAliveTimeoutNanos(),
                        options.keepAliveWithoutCalls());
        decoder.frameListener(new ResponseFrameListener(this));
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                if (connection().numActiveStreams() == 1) {
                    transport.inUse(true);
                }
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection().numActiveStreams() == 0) {
                    transport.inUse(false);
                }
                if (ctx != null && (!pendingStreams.isEmpty() || goingAway != null)) {
                    ctx.executor().execute(GrpcClientHandler.this::startPendingOrCloseIfDrained);
                }
            }
        });
    }

    static GrpcClientHandler create(NettyClientTransport transport, TransportOptions options,
            long keepAliveTimeNanos, TransportStats stats) {
        Http2Connection connection = new DefaultHttp2Connection(false);
        connection.local().flowController(new DefaultHttp2LocalFlowController(connection, 0.5f, false));
        connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection));
        DefaultHttp2HeadersDecoder headersDecoder = new DefaultHttp2HeadersDecoder(false, options.maxInboundMetadataSize());
        DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(headersDecoder);
        DefaultHttp2ConnectionEncoder encoder = new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter());
        DefaultHttp2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(connection, encoder, reader);
        Http2Settings settings = new Http2Settings()
                .pushEnabled(false)
                .initialWindowSize(options.flowControlWindow())
                .maxHeaderListSize(options.maxInboundMetadataSize());
        GrpcClientHandler handler = new GrpcClientHandler(decoder, encoder, settings, transport, options,
                keepAliveTimeNanos, stats, headersDecoder.configuration());
        handler.relaxHeaderListGoAwayLimit();
        return handler;
    }

    // ---- Netty life cycle ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (keepAlive != null) {
            keepAlive.onRead();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        updateWindows();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connectionClosed(transport.closeStatus());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (isHttp2Exception(cause)) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        transport.recordCloseCause(Status.UNAVAILABLE.withDescription("Connection to "
                + transport.remoteAddress() + " failed: " + cause.getMessage()).withCause(cause));
        ctx.close();
    }

    @Override
    protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
            @Nullable Http2Exception http2Ex) {
        transport.recordCloseCause(Status.INTERNAL.withDescription("HTTP/2 connection error: "
                + cause.getMessage()).withCause(cause));
        super.onConnectionError(ctx, outbound, cause, http2Ex);
    }

    @Override
    protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
            StreamException http2Ex) {
        NettyClientStream stream = clientStream(http2Ex.streamId());
        if (stream != null) {
            stream.fail(http2Ex instanceof HeaderListSizeException
                    ? Status.RESOURCE_EXHAUSTED.withDescription("Response metadata is larger than the limit of "
                            + maxInboundMetadataSize + " bytes")
                    : Status.INTERNAL.withDescription("HTTP/2 stream error: " + http2Ex.getMessage()));
        }
        super.onStreamError(ctx, outbound, cause, http2Ex);
    }

    // ---- Commands from the transport and its streams ----

    void createStream(NettyClientStream stream) {
        if (goingAway != null || closed) {
            stream.transportFailed(refusal(), RpcProgress.REFUSED);
        } else if (!ready || !pendingStreams.isEmpty() || !connection().local().canOpenStream()) {
            pendingStreams.add(stream);
        } else {
            startStream(stream);
        }
    }

    private void startStream(NettyClientStream stream) {
        int id = connection().local().incrementAndGetNextStreamId();
        if (id < 0) {
            stream.transportFailed(Status.UNAVAILABLE.withDescription("Stream IDs exhausted"), RpcProgress.REFUSED);
            shutdown(Status.UNAVAILABLE.withDescription("Stream IDs exhausted"));
            return;
        }
        encoder().writeHeaders(ctx, id, stream.requestHeaders(), 0, false, ctx.newPromise());
        Http2Stream http2Stream = connection().stream(id);
        if (http2Stream == null) {
            stream.transportFailed(Status.UNAVAILABLE.withDescription("Cannot open stream"), RpcProgress.REFUSED);
            return;
        }
        http2Stream.setProperty(streamKey, stream);
        stats.streamStarted();
        stream.allocated(http2Stream);
    }

    private void startPendingOrCloseIfDrained() {
        while (ready && goingAway == null && !closed && !pendingStreams.isEmpty()
                && connection().local().canOpenStream()) {
            startStream(pendingStreams.poll());
        }
        flush(ctx);
        closeIfDrained();
    }

    ChannelPromise newPromise() {
        return ctx.newPromise();
    }

    void writeData(Http2Stream stream, ByteBuf data, boolean endStream, ChannelPromise promise) {
        if (data.isReadable()) {
            stats.messageSent();
        }
        encoder().writeData(ctx, stream.id(), data, 0, endStream, promise);
    }

    /** A stream delivered a message: gives its bytes back to the server's send window. */
    void messageDelivered(@Nullable Http2Stream stream, int bytes) {
        stats.messageReceived();
        returnWindow(stream, bytes);
    }

    /** Gives {@code bytes} of a stream's received data back to the server's send window. */
    void returnWindow(@Nullable Http2Stream stream, int bytes) {
        if (bytes > 0 && stream != null && stream.state() != Http2Stream.State.CLOSED && !closed) {
            try {
                connection().local().flowController().consumeBytes(stream, bytes);
            } catch (Http2Exception e) {
                onError(ctx, true, e);
            }
        }
    }

    /** A stream's listener was closed; resets the HTTP/2 stream when it is still open. */
    void streamClosed(NettyClientStream stream, @Nullable Http2Stream http2Stream, boolean reset, boolean ok) {
        if (http2Stream == null) {
            pendingStreams.remove(stream);
            return;
        }
        stats.streamEnded(ok);
        if (reset && !closed && ctx != null) {
            resetStream(ctx, http2Stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
        }
    }

    /** Graceful shutdown: GOAWAY, no new streams, close once the open ones finish. */
    void shutdown(Status reason) {
        transport.notifyShutdown(reason);
        if (goingAway == null) {
            goingAway = reason;
        }
        failPendingStreams(refusal());
        if (ctx == null) {
            transport.closeChannel();
            return;
        }
        if (ctx.channel().isActive() && !connection().goAwaySent()) {
            goAway(ctx, 0, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, ctx.newPromise());
        }
        closeIfDrained();
    }

    /** Forceful shutdown: fails every stream with {@code reason} and closes the connection. */
    void shutdownNow(Status reason) {
        transport.notifyShutdown(reason);
        if (goingAway == null) {
            goingAway = reason;
        }
        failPendingStreams(reason);
        for (NettyClientStream stream : activeClientStreams()) {
            stream.transportFailed(reason, RpcProgress.PROCESSED);
        }
        if (ctx == null) {
            transport.closeChannel();
        } else {
            flush(ctx);
            ctx.close();
        }
    }

    /** The connection is gone: fails what is left. Idempotent. */
    void connectionClosed(Status status) {
        if (goingAway == null) {
            goingAway = status;
        }
        closed = true;
        if (keepAlive != null) {
            keepAlive.stop();
        }
        failPendingStreams(status.getCode() == Status.Code.UNAVAILABLE
                ? status : Status.UNAVAILABLE.withDescription(status.getDescription()).withCause(status.getCause()));
        for (NettyClientStream stream : activeClientStreams()) {
            stream.transportFailed(status, RpcProgress.PROCESSED);
        }
    }

    /** Runs after each batch of queued commands: one flush for the batch. */
    void flushBatch() {
        if (ctx != null && !closed) {
            flush(ctx);
            updateWindows();
        }
    }

    // ---- Events from ResponseFrameListener ----

    @Nullable NettyClientStream clientStream(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        return stream == null ? null : stream.getProperty(streamKey);
    }

    void settingsReceived() {
        if (!ready) {
            ready = true;
            incrementConnectionWindow();
            if (keepAlive != null) {
                keepAlive.start(ctx);
            }
            transport.onReady();
        }
        startPendingOrCloseIfDrained();
    }

    /**
     * Oversized metadata should fail only its stream (RESOURCE_EXHAUSTED); Netty kills the whole
     * connection past 1.25 times the limit, and resets that whenever our SETTINGS are
     * acknowledged, so this runs then too.
     */
    void relaxHeaderListGoAwayLimit() {
        long max = maxInboundMetadataSize;
        try {
            headersConfig.maxHeaderListSize(max, Math.max(4 * max, max + 65_536));
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void pingAckReceived(long data) {
        if (keepAlive != null) {
            keepAlive.onPingAck(data);
        }
    }

    void goAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
        String debug = debugData.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code() && "too_many_pings".equals(debug)) {
            transport.tooManyPings();
        }
        Http2Error error = Http2Error.valueOf(errorCode);
        Status status = Status.UNAVAILABLE.withDescription("Server sent GOAWAY ("
                + (error == null ? Long.toString(errorCode) : error.name())
                + (debug.isEmpty() ? "" : ", " + truncate(debug)) + ")");
        transport.notifyShutdown(status);
        if (goingAway == null) {
            goingAway = status;
        }
        failPendingStreams(status);
        // Streams above lastStreamId were never processed (RFC 9113 6.8): refuse them, retryable.
        for (Http2Stream stream : activeHttp2Streams()) {
            if (stream.id() > lastStreamId && connection().local().isValidStreamId(stream.id())) {
                NettyClientStream clientStream = stream.getProperty(streamKey);
                closeStream(stream, ctx.newSucceededFuture());
                if (clientStream != null) {
                    clientStream.transportFailed(status, RpcProgress.REFUSED);
                }
            }
        }
        closeIfDrained();
    }

    // ---- KeepAlive.Host ----

    @Override
    public boolean hasActiveStreams() {
        return connection().numActiveStreams() > 0;
    }

    @Override
    public void sendPing(long data) {
        stats.keepAliveSent();
        encoder().writePing(ctx, false, data, ctx.newPromise());
        flush(ctx);
    }

    @Override
    public void keepAliveFailed(long timeoutNanos) {
        Status status = Status.UNAVAILABLE.withDescription("Keepalive failed: no ping ACK within "
                + timeoutNanos / 1_000_000 + " ms; the connection is likely gone");
        transport.recordCloseCause(status);
        shutdownNow(status);
    }

    // ---- internals ----

    private List<NettyClientStream> activeClientStreams() {
        List<NettyClientStream> streams = new ArrayList<>(connection().numActiveStreams());
        for (Http2Stream stream : activeHttp2Streams()) {
            NettyClientStream clientStream = stream.getProperty(streamKey);
            if (clientStream != null) {
                streams.add(clientStream);
            }
        }
        return streams;
    }

    private List<Http2Stream> activeHttp2Streams() {
        List<Http2Stream> streams = new ArrayList<>(connection().numActiveStreams());
        try {
            connection().forEachActiveStream(stream -> streams.add(stream));
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        }
        return streams;
    }

    private void failPendingStreams(Status status) {
        for (NettyClientStream stream; (stream = pendingStreams.poll()) != null; ) {
            stream.transportFailed(status, RpcProgress.REFUSED);
        }
    }

    private void closeIfDrained() {
        if (goingAway != null && !closed && ctx != null && pendingStreams.isEmpty()
                && connection().numActiveStreams() == 0) {
            closed = true;
            flush(ctx);
            ctx.close();
        }
    }

    private Status refusal() {
        Status reason = goingAway;
        return Status.UNAVAILABLE.withDescription("Transport is shutting down"
                + (reason == null || reason.getDescription() == null ? "" : ": " + reason.getDescription()));
    }

    private void incrementConnectionWindow() {
        Http2Stream connectionStream = connection().connectionStream();
        int delta = flowControlWindow - connection().local().flowController().windowSize(connectionStream);
        if (delta > 0) {
            try {
                connection().local().flowController().incrementWindowSize(connectionStream, delta);
            } catch (Http2Exception e) {
                onError(ctx, true, e);
            }
        }
    }

    private void updateWindows() {
        Http2Stream connectionStream = connection().connectionStream();
        stats.windows(connection().local().flowController().windowSize(connectionStream),
                connection().remote().flowController().windowSize(connectionStream));
    }

    private static boolean isHttp2Exception(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Http2Exception) {
                return true;
            }
        }
        return false;
    }

    private static String truncate(String text) {
        return text.length() <= 128 ? text : text.substring(0, 128) + "...";
    }
}
