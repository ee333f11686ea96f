package dev.lbchannel.transport;

import dev.lbchannel.channelz.SocketAddresses;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Exception.StreamException;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * The HTTP/2 connection of one {@link NettyClientTransport}, the client's side of RFC 9113 and
 * gRPC's rules on top: sends the preface, reads frames ({@link ClientFrameReader}) and routes them
 * ({@link ResponseFrameListener}), opens and closes streams ({@link OpenStreams}), writes their frames
 * ({@link ClientFrameWriter}) under the server's windows ({@link SendWindows}) and keeps its own
 * ({@link ReceiveWindows}). How the connection ends (GOAWAY either way, a protocol error,
 * shutdown, loss) is {@link ConnectionDrain}'s part, keepalive {@link KeepAlive}'s.
 *
 * <p>It replaces Netty's {@code Http2ConnectionHandler}, whose general connection (a stream map
 * with property maps, listeners, two flow controllers, a byte distributor, an encoder and a
 * decoder) cost every connection about a kilobyte and a half and a fresh process some seventy
 * classes on its first call's path, for what a client that only opens streams needs.
 *
 * <p>Event-loop confined: every method runs on the channel's event loop.
 */
final class GrpcClientHandler extends ByteToMessageDecoder {

    private final NettyClientTransport transport;
    private final TransportStats stats;
    private final ConnectionPreface preface;
    private final @Nullable KeepAlive keepAlive;
    private final ClientFrameReader reader;
    private final ClientFrameWriter writer = new ClientFrameWriter();
    private final ResponseFrameListener frames;
    private final OpenStreams streams;
    private final ConnectionDrain drain;
    private final SendWindows sendWindows;
    private final ReceiveWindows receiveWindows;
    /** Allocated once: it is posted whenever a stream ends while others wait or the connection drains. */
    private final Runnable startPendingOrCloseIfDrained = this::startPendingOrCloseIfDrained;
    private @Nullable ChannelHandlerContext ctx;
    private boolean ready;
    /** Between a read's first {@code channelRead} and its {@code channelReadComplete}, which flushes. */
    private boolean reading;

    GrpcClientHandler(NettyClientTransport transport, TransportOptions options, long keepAliveTimeNanos,
            TransportStats stats) {
        this.transport = transport;
        this.stats = stats;
        this.reader = new ClientFrameReader(ResponseHeaders.decoder(options.maxInboundMetadataSize()));
        this.preface = new ConnectionPreface(options);
        this.keepAlive = keepAliveTimeNanos == TransportOptions.KEEPALIVE_DISABLED ? null
                : new KeepAlive(new KeepAlivePinger(this, stats), transport.eventLoop(), System::nanoTime,
                        keepAliveTimeNanos, options.keepAliveTimeoutNanos(), options.keepAliveWithoutCalls());
        this.sendWindows = new SendWindows(this, writer);
        this.receiveWindows = new ReceiveWindows(this, options.flowControlWindow());
        this.streams = new OpenStreams(this, stats, sendWindows, receiveWindows);
        this.drain = new ConnectionDrain(this, streams, transport);
        this.frames = new ResponseFrameListener(this, streams, sendWindows, receiveWindows,
                options.maxInboundMetadataSize());
    }

    // ---- Netty life cycle ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            preface.send(ctx, writer); // added after the TLS handshake: the connection is up already
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        preface.send(ctx, writer);
        super.channelActive(ctx);
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
            ctx.flush();
            updateStats();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            try {
                if (!preface.serverPrefaceReceived(in)) {
                    return;
                }
                reader.readFrame(ctx, in, frames);
                return;
            } catch (StreamException e) {
                frames.streamError(e); // the reader is past the frame: go on with the next
            } catch (Http2Exception e) {
                drain.connectionError(e);
                return;
            } catch (RuntimeException e) {
                // A frame this client could not act on: the connection's state is unknown from here.
                drain.connectionError(new Http2Exception(Http2Error.INTERNAL_ERROR, String.valueOf(e.getMessage()), e));
                return;
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && !drain.isClosed()) {
            sendWindows.writeWaiting(ctx); // DATA held back while the socket's buffer was full
            ctx.flush();
            updateStats();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            connectionClosed(transport.closeStatus());
            super.channelInactive(ctx);
        } finally {
            reader.close();
            if (reading) {
                // Netty ends every read with channelReadComplete; should one ever not, the
                // callbacks its batch deferred still go out with the connection's end.
                reading = false;
                InboundBatch.end();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Http2Exception http2 = http2Exception(cause);
        if (http2 != null) {
            drain.connectionError(http2);
            return;
        }
        // A TLS alert after the handshake (a refused client certificate) gets the handshake's explanation.
        String why = TlsFailures.isTls(cause) ? TlsFailures.describe(cause, transport.authority()) : cause.getMessage();
        transport.recordCloseCause(Status.UNAVAILABLE.withDescription("Connection to "
                + SocketAddresses.text(transport.remoteAddress()) + " failed: " + why).withCause(cause));
        ctx.close();
    }

    // ---- Commands from the transport and its streams ----

    void createStream(NettyClientStream stream) {
        streams.open(stream);
    }

    ChannelPromise newPromise() {
        return ctx.newPromise();
    }

    void writeData(Http2StreamState stream, ByteBuf data, boolean endStream, ChannelPromise promise) {
        if (data.isReadable()) {
            stats.messageSent();
        }
        sendWindows.write(ctx, stream, data, endStream, promise);
    }

    /** A stream delivered a message: gives its bytes back to the server's send window. */
    void messageDelivered(@Nullable Http2StreamState stream, int bytes) {
        stats.messageReceived();
        returnWindow(stream, bytes);
    }

    /** Gives {@code bytes} of a stream's received data back to the server's send window. */
    void returnWindow(@Nullable Http2StreamState stream, int bytes) {
        if (bytes > 0 && stream != null && !stream.closed && !drain.isClosed()) {
            receiveWindows.consumed(stream, bytes);
        }
    }

    /** A stream's listener was closed; resets the HTTP/2 stream when it is still open. */
    void streamClosed(NettyClientStream stream, @Nullable Http2StreamState state, boolean reset, boolean ok) {
        if (state == null) {
            streams.removePending(stream);
            return;
        }
        if (state.headersSent) {
            stats.streamEnded(ok);
        }
        if (!state.closed) {
            if (reset && state.headersSent && !state.resetDone) {
                writeRstStream(state.id, Http2Error.CANCEL);
            }
            streams.close(state);
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
            ctx.flush();
            updateStats();
        }
    }

    /** This client sent END_STREAM on {@code stream} (for {@link SendWindows}). */
    void localEnded(Http2StreamState stream) {
        streams.localEnded(stream);
    }

    // ---- Events from ResponseFrameListener ----

    void settingsReceived() {
        writer.writeSettingsAck(ctx, ctx.newPromise());
        if (!ready) {
            ready = true;
            transport.peerAnswered();
            receiveWindows.connectionReady();
            if (keepAlive != null) {
                keepAlive.start();
            }
            transport.onReady(ctx.channel());
        }
        startPendingOrCloseIfDrained();
    }

    void pingAckReceived(long data) {
        if (keepAlive != null) {
            keepAlive.onPingAck(data);
        }
    }

    void goAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) throws Http2Exception {
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

    // ---- Frames and state, for the connection's parts ----

    /** The pipeline context, or {@code null} before the handler is added to a channel. */
    @Nullable ChannelHandlerContext context() {
        return ctx;
    }

    ClientFrameWriter frameWriter() {
        return writer;
    }

    void writeRstStream(int streamId, Http2Error error) {
        if (ctx != null && !drain.isClosed()) {
            writer.writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
        }
    }

    void writeWindowUpdate(int streamId, int increment) {
        if (ctx != null && !drain.isClosed()) {
            writer.writeWindowUpdate(ctx, streamId, increment, ctx.newPromise());
        }
    }

    void writePingAck(long data) {
        writer.writePing(ctx, true, data, ctx.newPromise());
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

    /** The transport, for the connection's parts that tell it what happened. */
    NettyClientTransport transport() {
        return transport;
    }

    boolean hasOpenStreams() {
        return streams.openCount() > 0;
    }

    // ---- internals ----

    /** A stream ended: streams that wait may open, or a draining connection may close, after this task. */
    void startPendingOrCloseIfDrainedLater() {
        if (ctx != null && !drain.isClosed()) {
            ctx.executor().execute(startPendingOrCloseIfDrained);
        }
    }

    private void startPendingOrCloseIfDrained() {
        if (ctx == null) {
            return;
        }
        streams.openPending();
        ctx.flush();
        drain.closeIfDrained();
    }

    /** After a read or a batch of writes: the windows, and the times of what it counted. */
    private void updateStats() {
        stats.windows(receiveWindows.connectionWindow(), sendWindows.connectionWindow());
        stats.stampTimes();
    }

    private static @Nullable Http2Exception http2Exception(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Http2Exception e) {
                return e;
            }
        }
        return null;
    }
}
