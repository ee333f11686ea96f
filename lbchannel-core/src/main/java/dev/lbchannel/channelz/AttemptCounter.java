package dev.lbchannel.channelz;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a channel's extra attempts: retries, transparent retries, hedges, and the retries or
 * hedges its throttle held back. Thread-safe; touched only when a call makes more than one
 * attempt, never on a call's common path.
 */
public final class AttemptCounter {

    private final LongAdder retries = new LongAdder();
    private final LongAdder transparentRetries = new LongAdder();
    private final LongAdder hedges = new LongAdder();
    private final LongAdder throttled = new LongAdder();

    public void retry() {
        retries.increment();
    }

    public void transparentRetry() {
        transparentRetries.increment();
    }

    public void hedge() {
        hedges.increment();
    }

    public void throttled() {
        throttled.increment();
    }

    public AttemptStats snapshot() {
        return new AttemptStats(retries.sum(), transparentRetries.sum(), hedges.sum(), throttled.sum());
    }
}
