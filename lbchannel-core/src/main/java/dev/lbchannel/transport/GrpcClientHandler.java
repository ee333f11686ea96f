package dev.lbchannel.transport;

import dev.lbchannel.channelz.SocketAddresses;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
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
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP/2 connection of one {@link NettyClientTransport}: Netty's low-level
 * {@link Http2ConnectionHandler} (no per-stream child channels) plus gRPC's client rules. Opens
 * streams lazily, queueing them while the connection is not ready or at the server's
 * MAX_CONCURRENT_STREAMS; writes their frames; routes what the server sends to them (see
 * {@link ResponseFrameListener}); keeps the connection's receive window. How the connection ends
 * (GOAWAY either way, shutdown, loss) is {@link ConnectionDrain}'s part, keepalive
 * {@link KeepAlive}'s and {@link KeepAlivePinger}'s.
 *
 * <p>Event-loop confined: every method runs on the channel's event loop.
 */
final class GrpcClientHandler extends Http2ConnectionHandler {

    private final NettyClientTransport transport;
    private final TransportStats stats;
    private final int flowControlWindow;
    private final int maxInboundMetadataSize;
    private final Http2HeadersDecoder.Configuration headersConfig;
    private final @Nullable KeepAlive keepAlive;
    private final StreamOpener streams;
    private final ConnectionDrain drain;
    private final DirectDataWriter dataWriter;
    /** Allocated once: it is posted whenever a stream ends while others wait or the connection drains. */
    private final Runnable startPendingOrCloseIfDrained = this::startPendingOrCloseIfDrained;
    private @Nullable ChannelHandlerContext ctx;
    private boolean ready;
    /** Between a read's first {@code channelRead} and its {@code channelReadComplete}, which flushes. */
    private boolean reading;

    private GrpcClientHandler(DefaultHttp2ConnectionDecoder decoder, DefaultHttp2ConnectionEncoder encoder,
            Http2Settings settings, NettyClientTransport transport, TransportOptions options,
            long keepAliveTimeNanos, TransportStats stats, Http2HeadersDecoder.Configuration headersConfig) {
        super(decoder, encoder, settings, true);
        this.headersConfig = headersConfig;
        this.transport = transport;
        this.stats = stats;
        this.flowControlWindow = options.flowControlWindow();
        this.maxInboundMetadataSize = options.maxInboundMetadataSize();
        this.keepAlive = keepAliveTimeNanos == TransportOptions.KEEPALIVE_DISABLED ? null
                : new KeepAlive(new KeepAlivePinger(this, stats), transport.eventLoop(), System::nanoTime,
                        keepAliveTimeNanos, options.keepAliveTimeoutNanos(), options.keepAliveWithoutCalls());
        this.streams = new StreamOpener(this, stats);
        this.drain = new ConnectionDrain(this, streams, transport);
        this.dataWriter = new DirectDataWriter(this, encoder.frameWriter());
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
                if (ctx != null && (streams.hasPending() || drain.isGoingAway())) {
                    ctx.executor().execute(startPendingOrCloseIfDrained);
                }
            }
        });
    }

    static GrpcClientHandler create(NettyClientTransport transport, TransportOptions options,
            long keepAliveTimeNanos, TransportStats stats) {
        Http2Connection connection = new DefaultHttp2Connection(false);
        connection.local().flowController(new DefaultHttp2LocalFlowController(connection, 0.5f, false));
        // Streams are equal to gRPC: the uniform distributor keeps less per-stream state than the
        // default weighted-fair queue (no priority tree, no events when a stream opens or closes).
        connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection,
                new UniformStreamByteDistributor(connection)));
        DefaultHttp2HeadersDecoder headersDecoder = ResponseHeaders.decoder(options.maxInboundMetadataSize());
        ClientFrameReader reader = new ClientFrameReader(headersDecoder);
        DefaultHttp2ConnectionEncoder encoder = new DefaultHttp2ConnectionEncoder(connection, new ClientFrameWriter());
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
        if (!reading) {
            reading = true;
            InboundBatch.begin();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        reading = false; // before the flush below, so that writes made during it schedule their own
        try {
            InboundBatch.end();
        } finally {
            super.channelReadComplete(ctx);
            updateWindows();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            connectionClosed(transport.closeStatus());
            super.channelInactive(ctx);
        } finally {
            if (reading) {
                // Netty ends every read with channelReadComplete; should one ever not, the
                // callbacks its batch deferred still go out with the connection's end.
                reading = false;
                InboundBatch.end();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (isHttp2Exception(cause)) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        // A TLS alert after the handshake (a refused client certificate) gets the handshake's explanation.
        String why = TlsFailures.isTls(cause) ? TlsFailures.describe(cause, transport.authority()) : cause.getMessage();
        transport.recordCloseCause(Status.UNAVAILABLE.withDescription("Connection to "
                + SocketAddresses.text(transport.remoteAddress()) + " failed: " + why).withCause(cause));
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
        streams.open(stream);
    }

    private void startPendingOrCloseIfDrained() {
        streams.openPending();
        flush(ctx);
        drain.closeIfDrained();
    }

    ChannelPromise newPromise() {
        return ctx.newPromise();
    }

    void writeData(Http2Stream stream, ByteBuf data, boolean endStream, ChannelPromise promise) {
        if (data.isReadable()) {
            stats.messageSent();
        }
        if (!dataWriter.tryWrite(ctx, stream, data, endStream, promise)) {
            encoder().writeData(ctx, stream.id(), data, 0, endStream, promise);
        }
    }

    /** A stream delivered a message: gives its bytes back to the server's send window. */
    void messageDelivered(@Nullable Http2Stream stream, int bytes) {
        stats.messageReceived();
        returnWindow(stream, bytes);
    }

    /** Gives {@code bytes} of a stream's received data back to the server's send window. */
    void returnWindow(@Nullable Http2Stream stream, int bytes) {
        if (bytes > 0 && stream != null && stream.state() != Http2Stream.State.CLOSED && !drain.isClosed()) {
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
            streams.removePending(stream);
            return;
        }
        stats.streamEnded(ok);
        if (reset && !drain.isClosed() && ctx != null) {
            resetStream(ctx, http2Stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
        }
    }

    /** Graceful shutdown: GOAWAY, no new streams, close once the open ones finish. */
    void shutdown(Status reason) {
        drain.shutdown(reason);
    }

    /** Forceful shutdown: fails every stream with {@code reason} and closes the connection. */
    void shutdownNow(Status reason) {
        drain.shutdownNow(reason);
    }

    /** The connection is gone: fails what is left. Idempotent. */
    void connectionClosed(Status status) {
        if (keepAlive != null) {
            keepAlive.stop();
        }
        drain.connectionClosed(status);
    }

    /** Keepalive declared the connection dead: records why, then fails everything at once. */
    void keepAliveFailed(Status status) {
        transport.recordCloseCause(status);
        drain.shutdownNow(status);
    }

    /** Runs after each batch of queued commands: one flush for the batch. */
    void flushBatch() {
        if (ctx != null && !drain.isClosed()) {
            flush(ctx);
            updateWindows();
        }
    }

    // ---- Events from ResponseFrameListener ----

    @Nullable NettyClientStream clientStream(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        return stream == null ? null : streams.streamOf(stream);
    }

    void settingsReceived() {
        if (!ready) {
            ready = true;
            transport.peerAnswered();
            incrementConnectionWindow();
            if (keepAlive != null) {
                keepAlive.start();
            }
            ChannelHandlerContext context = ctx;
            transport.onReady(context == null ? null : context.channel());
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
        drain.goAwayReceived(lastStreamId, errorCode, debugData);
    }

    /** Runs {@code task} on the event loop after the current one. */
    void runLater(Runnable task) {
        transport.eventLoop().execute(task);
    }

    /** Whether a read is in progress, so that the event loop flushes before it waits again. */
    boolean isReading() {
        return reading;
    }

    // ---- For StreamOpener, ConnectionDrain and KeepAlivePinger ----

    /** The pipeline context, or {@code null} before the handler is added to a channel. */
    @Nullable ChannelHandlerContext context() {
        return ctx;
    }

    /** Whether the server's first SETTINGS arrived, so streams may be opened. */
    boolean isReady() {
        return ready;
    }

    /** Whether new streams are still welcome: the connection is neither going away nor gone. */
    boolean acceptsStreams() {
        return !drain.isGoingAway() && !drain.isClosed();
    }

    Status refusal() {
        return drain.refusal();
    }

    /** Why the connection closed (or is closing), for streams that fail because of it. */
    Status closeStatus() {
        return transport.closeStatus();
    }

    // ---- internals ----

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
}
