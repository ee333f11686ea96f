package dev.lbchannel.transport;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * gRPC keepalive (gRFC A8) for one connection: after {@code timeNanos} without reading anything,
 * sends a PING, and declares the connection dead if nothing arrives within {@code timeoutNanos}.
 * Pings only while streams are open unless {@code withoutCalls}.
 *
 * <p>Time comes from the clock and the scheduler it is given: the connection's event loop and
 * {@link System#nanoTime()} in production, a fake clock in tests. Confined to the scheduler's
 * thread (the event loop); {@link #onRead()} is one clock read and one field write so it can run
 * on every read.
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
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final long timeNanos;
    private final long timeoutNanos;
    private final boolean withoutCalls;
    private @Nullable ScheduledFuture<?> timer;
    private long lastReadNanos;
    private long pingSentNanos;
    private boolean pingOutstanding;
    private boolean started;
    private boolean stopped;

    /**
     * @param scheduler where the timer runs; the same thread as every other call here
     * @param nanoClock a monotonic time in nanoseconds, the scheduler's own
     */
    KeepAlive(Host host, ScheduledExecutorService scheduler, LongSupplier nanoClock, long timeNanos,
            long timeoutNanos, boolean withoutCalls) {
        this.host = host;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.timeNanos = timeNanos;
        this.timeoutNanos = timeoutNanos;
        this.withoutCalls = withoutCalls;
    }

    /** Starts timing, once the connection is ready; a second call, or one after stop, does nothing. */
    void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        lastReadNanos = nanoClock.getAsLong();
        schedule(timeNanos);
    }

    void onRead() {
        lastReadNanos = nanoClock.getAsLong();
    }

    void onPingAck(long data) {
        if (data == PING_DATA && pingOutstanding) {
            pingOutstanding = false;
            lastReadNanos = nanoClock.getAsLong();
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
        if (!stopped && started) {
            timer = scheduler.schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void onTimer() {
        timer = null;
        if (stopped) {
            return;
        }
        long now = nanoClock.getAsLong();
        long idle = now - lastReadNanos;
        if (pingOutstanding) {
            // Anything read after the ping proves the peer alive, even if this timer ran late.
            if (lastReadNanos - pingSentNanos > 0) {
                pingOutstanding = false;
                schedule(Math.max(0, timeNanos - idle));
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
            pingSentNanos = now;
            host.sendPing(PING_DATA);
            schedule(timeoutNanos);
        }
    }
}
