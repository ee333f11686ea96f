package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.channel.ChannelHandlerContext;

/**
 * The {@link KeepAlive.Host} of one connection: writes keepalive PINGs through its
 * {@link GrpcClientHandler}, counts them in {@link TransportStats}, and shuts the connection down
 * UNAVAILABLE when one goes unanswered. The timing itself is {@link KeepAlive}'s.
 *
 * <p>Event-loop confined; the timer only runs once the connection is ready, so the handler's
 * context is always there.
 */
final class KeepAlivePinger implements KeepAlive.Host {

    private final GrpcClientHandler handler;
    private final TransportStats stats;

    KeepAlivePinger(GrpcClientHandler handler, TransportStats stats) {
        this.handler = handler;
        this.stats = stats;
    }

    @Override
    public boolean hasActiveStreams() {
        return handler.hasOpenStreams();
    }

    @Override
    public void sendPing(long data) {
        ChannelHandlerContext ctx = handler.context();
        stats.keepAliveSent();
        handler.frameWriter().writePing(ctx, false, data, ctx.newPromise());
        ctx.flush();
    }

    @Override
    public void keepAliveFailed(long timeoutNanos) {
        Status status = Status.UNAVAILABLE.withDescription("Keepalive failed: no ping ACK within "
                + timeoutNanos / 1_000_000 + " ms; the connection is likely gone");
        handler.keepAliveFailed(status);
    }
}
