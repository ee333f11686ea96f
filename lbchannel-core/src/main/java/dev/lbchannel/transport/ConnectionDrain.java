package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * How one connection ends: a graceful shutdown (GOAWAY, then close once the open streams finish),
 * a forceful one, a GOAWAY from the server, a protocol error (GOAWAY with its code, then close),
 * or the connection dropping. Remembers the first reason the connection began going away; from
 * then on {@link GrpcClientHandler} refuses new streams with {@link #refusal()}, and the
 * transport's listener hears shutdown once (the transport sees to that).
 *
 * <p>Event-loop confined, like the handler it belongs to.
 */
final class ConnectionDrain {

    /** A client opens streams, the server none (push is off): the last server stream a GOAWAY names. */
    private static final int NO_SERVER_STREAM = 0;

    private final GrpcClientHandler handler;
    private final OpenStreams streams;
    private final NettyClientTransport transport;
    private @Nullable Status goingAway;
    private boolean goAwaySent;
    /** The last stream id of the server's latest GOAWAY; -1 before one. */
    private int goAwayLastStreamId = -1;
    private boolean closed;

    ConnectionDrain(GrpcClientHandler handler, OpenStreams streams, NettyClientTransport transport) {
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
        if (ctx.channel().isActive()) {
            sendGoAway(ctx, Http2Error.NO_ERROR, Unpooled.EMPTY_BUFFER);
        }
        closeIfDrained();
    }

    /** Forceful shutdown: fails every stream with {@code reason}, says GOAWAY and closes the connection. */
    void shutdownNow(Status reason) {
        goAway(reason);
        streams.failPending(reason);
        for (Http2StreamState stream : streams.openStreamsCopy()) {
            stream.stream.transportFailed(reason, RpcProgress.PROCESSED); // resets it
        }
        ChannelHandlerContext ctx = handler.context();
        if (ctx == null) {
            transport.closeChannel();
            return;
        }
        if (ctx.channel().isActive()) {
            sendGoAway(ctx, Http2Error.NO_ERROR, Unpooled.EMPTY_BUFFER);
        }
        close(ctx);
    }

    /**
     * A frame broke HTTP/2 for the whole connection (RFC 9113 §5.4.1): GOAWAY with the error's
     * code and why, then close. The streams fail with the connection's INTERNAL status.
     */
    void connectionError(Http2Exception error) {
        transport.recordCloseCause(Status.INTERNAL.withDescription("HTTP/2 connection error: "
                + error.getMessage()).withCause(error));
        ChannelHandlerContext ctx = handler.context();
        if (ctx == null || closed) {
            return;
        }
        goAway(transport.closeStatus());
        if (ctx.channel().isActive()) {
            String why = String.valueOf(error.getMessage());
            sendGoAway(ctx, error.error(), ByteBufUtil.writeUtf8(ctx.alloc(), truncate(why)));
        }
        close(ctx);
    }

    /**
     * The server sent GOAWAY: no new streams; streams above {@code lastStreamId} were never
     * processed (RFC 9113 §6.8), so they are refused, which makes them safe to retry elsewhere.
     */
    void goAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) throws Http2Exception {
        if (goAwayLastStreamId >= 0 && lastStreamId > goAwayLastStreamId) {
            throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                    "GOAWAY's last stream id rose from %d to %d; it may only fall", goAwayLastStreamId, lastStreamId);
        }
        goAwayLastStreamId = lastStreamId;
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
        for (Http2StreamState stream : streams.openStreamsCopy()) {
            if (stream.id > lastStreamId) {
                stream.resetDone = true; // the server forgot it: no RST_STREAM
                stream.stream.transportFailed(status, RpcProgress.REFUSED);
                streams.close(stream);
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
        for (Http2StreamState stream : streams.openStreamsCopy()) {
            stream.stream.transportFailed(status, RpcProgress.PROCESSED);
            streams.close(stream);
        }
    }

    /** Closes the connection once it is going away and its last stream has ended. */
    void closeIfDrained() {
        ChannelHandlerContext ctx = handler.context();
        if (goingAway != null && !closed && ctx != null && !streams.hasPending() && streams.openCount() == 0) {
            close(ctx);
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

    /**
     * GOAWAY from this side, once, and once more with an error's code should one follow a
     * graceful one (RFC 9113 §6.8 allows more than one); {@code debugData} is released.
     */
    private void sendGoAway(ChannelHandlerContext ctx, Http2Error error, ByteBuf debugData) {
        if (goAwaySent && error == Http2Error.NO_ERROR || closed) {
            debugData.release();
            return;
        }
        goAwaySent = true;
        handler.frameWriter().writeGoAway(ctx, NO_SERVER_STREAM, error.code(), debugData, ctx.newPromise());
    }

    /** Flushes what was written (a GOAWAY, RST_STREAMs) to the socket, then closes it. */
    private void close(ChannelHandlerContext ctx) {
        closed = true;
        ctx.flush();
        ctx.close();
    }

    private static String truncate(String text) {
        return text.length() <= 128 ? text : text.substring(0, 128) + "...";
    }
}
