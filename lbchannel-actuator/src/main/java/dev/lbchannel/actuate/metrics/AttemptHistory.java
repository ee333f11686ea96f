package dev.lbchannel.actuate.metrics;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Tags;

/**
 * How one call used its attempts, for gRFC A96's per-call meters: how many were retries,
 * transparent retries and hedges, and how long the call had no attempt in flight between the
 * end of one attempt and the start of the next (the time before the first attempt and after the
 * last is not delay). The tracer factory reports each attempt's start and its tracer the attempt's
 * end; times are passed in, so tests drive it without a clock.
 *
 * <p>Thread-safe: attempts start on the application's thread or a retry timer and end on event
 * loops, several at once when hedging. The lock is held for a few field updates only, never
 * while recording.
 */
final class AttemptHistory {

    private final Object lock = new Object();
    @GuardedBy("lock")
    private int retries;
    @GuardedBy("lock")
    private int transparentRetries;
    @GuardedBy("lock")
    private int hedges;
    @GuardedBy("lock")
    private int inFlight;
    @GuardedBy("lock")
    private boolean idle;
    @GuardedBy("lock")
    private long idleSinceNanos;
    @GuardedBy("lock")
    private long delayNanos;

    /** An attempt of {@code kind} started at {@code nowNanos}. */
    void attemptStarted(AttemptKind kind, long nowNanos) {
        synchronized (lock) {
            switch (kind) {
                case RETRY -> retries++;
                case TRANSPARENT_RETRY -> transparentRetries++;
                case HEDGE -> hedges++;
                case ORIGINAL -> {
                }
            }
            if (inFlight++ == 0 && idle) {
                delayNanos += nowNanos - idleSinceNanos;
                idle = false;
            }
        }
    }

    /** An attempt's stream closed at {@code nowNanos}; a second close of one attempt must not be reported. */
    void attemptEnded(long nowNanos) {
        synchronized (lock) {
            if (inFlight > 0 && --inFlight == 0) {
                idle = true;
                idleSinceNanos = nowNanos;
            }
        }
    }

    /** Hands the counts so far to {@code meters}, once, when the call has closed. */
    void recordTo(CallMeters meters, Tags callTags) {
        int retried;
        int replayed;
        int hedged;
        long delay;
        synchronized (lock) {
            retried = retries;
            replayed = transparentRetries;
            hedged = hedges;
            delay = delayNanos;
        }
        meters.callAttempts(callTags, retried, replayed, hedged, delay);
    }
}
