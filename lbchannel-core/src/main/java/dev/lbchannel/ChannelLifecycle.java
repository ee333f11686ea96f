package dev.lbchannel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Where a channel is in its life, and how many of its calls are open.
 *
 * <pre>
 *   IDLE ⇄ ACTIVE ──▶ PANIC
 *     └──────┴──────────┴──▶ SHUTTING_DOWN ──▶ TERMINATED
 * </pre>
 *
 * A call counts as open from {@link #callStarted()} until {@link #callFinished()}; the channel
 * terminates only once it is shutting down with no open call (and its resolver, balancer and
 * subchannels are gone, which the channel checks), so a channel whose {@code awaitTermination}
 * returned true has no call open. {@link #callStarted()} and {@link #shutdown()} are ordered
 * through volatile reads and writes: either the call sees the shutdown and is refused, or the
 * shutdown sees the call and waits for it.
 *
 * <p>Thread-safe. IDLE, ACTIVE and PANIC change on the channel's serializer; SHUTTING_DOWN is
 * entered from any thread, at once, so {@code isShutdown()} holds as soon as {@code shutdown()}
 * returns.
 */
final class ChannelLifecycle {

    enum Phase {
        /** No resolver or balancer runs; the first call starts them. */
        IDLE,
        /** The resolver and balancer run. */
        ACTIVE,
        /** A balancer, picker or resolver threw: every call fails until the channel is shut down. */
        PANIC,
        /** No new call starts; the channel terminates once what is open has finished. */
        SHUTTING_DOWN,
        TERMINATED
    }

    private static final AtomicReferenceFieldUpdater<ChannelLifecycle, Phase> PHASE =
            AtomicReferenceFieldUpdater.newUpdater(ChannelLifecycle.class, Phase.class, "phase");

    private volatile Phase phase = Phase.IDLE;
    private final AtomicLong openCalls = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Runnable lastCallFinished;

    /** @param lastCallFinished told (on the finishing call's thread) when the last open call of a shutting-down channel finished */
    ChannelLifecycle(Runnable lastCallFinished) {
        this.lastCallFinished = lastCallFinished;
    }

    Phase phase() {
        return phase;
    }

    boolean isShutdown() {
        return isShutdown(phase);
    }

    boolean isTerminated() {
        return phase == Phase.TERMINATED;
    }

    /** Moves from {@code from} to {@code to}; false, changing nothing, when the channel is not in {@code from}. */
    boolean transition(Phase from, Phase to) {
        return PHASE.compareAndSet(this, from, to);
    }

    /** Enters SHUTTING_DOWN; true for the one call that did, false when it was shutting down already. */
    boolean shutdown() {
        for (Phase current = phase; !isShutdown(current); current = phase) {
            if (PHASE.compareAndSet(this, current, Phase.SHUTTING_DOWN)) {
                return true;
            }
        }
        return false;
    }

    /** Counts a new call as open, unless the channel is shutting down (then it must not start). */
    boolean callStarted() {
        openCalls.incrementAndGet();
        if (isShutdown()) {
            callFinished();
            return false;
        }
        return true;
    }

    /** An open call finished: it is closed and nothing of the channel refers to it any more. */
    void callFinished() {
        if (openCalls.decrementAndGet() == 0 && isShutdown()) {
            lastCallFinished.run();
        }
    }

    long openCalls() {
        return openCalls.get();
    }

    /** The channel is gone; on the serializer, once. */
    void terminate() {
        phase = Phase.TERMINATED;
        terminated.countDown();
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    private static boolean isShutdown(Phase phase) {
        return phase.compareTo(Phase.SHUTTING_DOWN) >= 0;
    }
}
