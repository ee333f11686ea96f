package dev.lbchannel.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;

/**
 * gRPC keepalive (gRFC A8) for one connection: after {@code timeNanos} without reading anything,
 * sends a PING, and declares the connection dead if nothing arrives within {@code timeoutNanos}.
 * Pings only while streams are open unless {@code withoutCalls}.
 *
 * <p>Event-loop confined; {@link #onRead()} is one field write so it can run on every read.
 */
final class KeepAlive {

    /** Opaque data of our keepalive pings, so other pings' ACKs are not mistaken for ours. */
    static final long PING_DATA = 0x6c62_6b61_6c69_7665L;

    /** What the connection does for keepalive; implemented by {@link KeepAlivePinger}. */
    interface Host {
        boolean hasActiveStreams();

        void sendPing(long data);

        void keepAliveFailed(long timeoutNanos);
    }

    private final Host host;
    private final long timeNanos;
    private final long timeoutNanos;
    private final boolean withoutCalls;
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable ScheduledFuture<?> timer;
    private long lastReadNanos;
    private boolean pingOutstanding;
    private boolean stopped;

    KeepAlive(Host host, long timeNanos, long timeoutNanos, boolean withoutCalls) {
        this.host = host;
        this.timeNanos = timeNanos;
        this.timeoutNanos = timeoutNanos;
        this.withoutCalls = withoutCalls;
    }

    void start(ChannelHandlerContext ctx) {
        if (this.ctx != null || stopped) {
            return;
        }
        this.ctx = ctx;
        lastReadNanos = System.nanoTime();
        schedule(timeNanos);
    }

    void onRead() {
        lastReadNanos = System.nanoTime();
    }

    void onPingAck(long data) {
        if (data == PING_DATA && pingOutstanding) {
            pingOutstanding = false;
            lastReadNanos = System.nanoTime();
            reschedule(timeNanos);
        }
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void reschedule(long delayNanos) {
        if (timer != null) {
            timer.cancel(false);
        }
        schedule(delayNanos);
    }

    private void schedule(long delayNanos) {
        if (!stopped && ctx != null) {
            timer = ctx.executor().schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void onTimer() {
        timer = null;
        if (stopped) {
            return;
        }
        long idle = System.nanoTime() - lastReadNanos;
        if (pingOutstanding) {
            if (idle < timeoutNanos) {
                pingOutstanding = false; // something arrived: the peer is alive
                schedule(timeNanos - idle);
            } else {
                stop();
                host.keepAliveFailed(timeoutNanos);
            }
        } else if (idle < timeNanos) {
            schedule(timeNanos - idle);
        } else if (!withoutCalls && !host.hasActiveStreams()) {
            schedule(timeNanos);
        } else {
            pingOutstanding = true;
            host.sendPing(PING_DATA);
            schedule(timeoutNanos);
        }
    }
}
