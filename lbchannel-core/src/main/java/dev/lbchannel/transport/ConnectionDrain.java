package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * How one connection ends: a graceful shutdown (GOAWAY, then close once the open streams finish),
 * a forceful one, a GOAWAY from the server, or the connection dropping. Remembers the first reason
 * the connection began going away; from then on {@link GrpcClientHandler} refuses new streams with
 * {@link #refusal()}, and the transport's listener hears shutdown once (the transport sees to that).
 *
 * <p>Event-loop confined, like the handler it belongs to.
 */
final class ConnectionDrain {

    private final GrpcClientHandler handler;
    private final StreamOpener streams;
    private final NettyClientTransport transport;
    private @Nullable Status goingAway;
    private boolean closed;

    ConnectionDrain(GrpcClientHandler handler, StreamOpener streams, NettyClientTransport transport) {
        this.handler = handler;
        this.streams = streams;
        this.transport = transport;
    }

    /** Whether the connection takes no new streams: it is going away or gone. */
    boolean isGoingAway() {
        return goingAway != null;
    }

    /** Whether the connection is closing or closed: nothing more is written to it. */
    boolean isClosed() {
        return closed;
    }

    /** Graceful shutdown: GOAWAY, no new streams, close once the open ones finish. */
    void shutdown(Status reason) {
        goAway(reason);
        streams.failPending(refusal());
        ChannelHandlerContext ctx = handler.context();
        if (ctx == null) {
            transport.closeChannel();
            return;
        }
        if (ctx.channel().isActive() && !handler.connection().goAwaySent()) {
            handler.goAway(ctx, 0, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, ctx.newPromise());
        }
        closeIfDrained();
    }

    /** Forceful shutdown: fails every stream with {@code reason} and closes the connection. */
    void shutdownNow(Status reason) {
        goAway(reason);
        streams.failPending(reason);
        for (NettyClientStream stream : streams.active()) {
            stream.transportFailed(reason, RpcProgress.PROCESSED);
        }
        ChannelHandlerContext ctx = handler.context();
        if (ctx == null) {
            transport.closeChannel();
        } else {
            handler.flush(ctx);
            ctx.close();
        }
    }

    /**
     * The server sent GOAWAY: no new streams; streams above {@code lastStreamId} were never
     * processed (RFC 9113 6.8), so they are refused, which makes them safe to retry elsewhere.
     */
    void goAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
        String debug = debugData.toString(StandardCharsets.UTF_8);
        if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code() && "too_many_pings".equals(debug)) {
            transport.tooManyPings();
        }
        Http2Error error = Http2Error.valueOf(errorCode);
        Status status = Status.UNAVAILABLE.withDescription("Server sent GOAWAY ("
                + (error == null ? Long.toString(errorCode) : error.name())
                + (debug.isEmpty() ? "" : ", " + truncate(debug)) + ")");
        goAway(status);
        streams.failPending(status);
        ChannelHandlerContext ctx = handler.context();
        for (Http2Stream stream : streams.activeHttp2Streams()) {
            if (stream.id() > lastStreamId && handler.connection().local().isValidStreamId(stream.id())) {
                NettyClientStream clientStream = streams.streamOf(stream);
                handler.closeStream(stream, ctx.newSucceededFuture());
                if (clientStream != null) {
                    clientStream.transportFailed(status, RpcProgress.REFUSED);
                }
            }
        }
        closeIfDrained();
    }

    /** The connection is gone: fails what is left with UNAVAILABLE. Idempotent. */
    void connectionClosed(Status status) {
        if (goingAway == null) {
            goingAway = status;
        }
        closed = true;
        streams.failPending(status.getCode() == Status.Code.UNAVAILABLE
                ? status : Status.UNAVAILABLE.withDescription(status.getDescription()).withCause(status.getCause()));
        for (NettyClientStream stream : streams.active()) {
            stream.transportFailed(status, RpcProgress.PROCESSED);
        }
    }

    /** Closes the connection once it is going away and its last stream has ended. */
    void closeIfDrained() {
        ChannelHandlerContext ctx = handler.context();
        if (goingAway != null && !closed && ctx != null && !streams.hasPending()
                && handler.connection().numActiveStreams() == 0) {
            closed = true;
            handler.flush(ctx);
            ctx.close();
        }
    }

    /** The status a stream is refused with once the connection is going away. */
    Status refusal() {
        Status reason = goingAway;
        return Status.UNAVAILABLE.withDescription("Transport is shutting down"
                + (reason == null || reason.getDescription() == null ? "" : ": " + reason.getDescription()));
    }

    private void goAway(Status reason) {
        transport.notifyShutdown(reason);
        if (goingAway == null) {
            goingAway = reason;
        }
    }

    private static String truncate(String text) {
        return text.length() <= 128 ? text : text.substring(0, 128) + "...";
    }
}
