package dev.lbchannel.benchmarks.scenario;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How one backend answers right now: its service delay, the fraction of calls it fails with
 * UNAVAILABLE, and an optional warm-up curve (a cold JVM, caches to fill) that starts with the
 * first call after {@link #cold} and makes the delay {@code factor} times longer at first,
 * shrinking linearly to the base delay over the window. Lives in the backends' JVM; the harness
 * changes it through {@link ScenarioBackends}' control commands.
 *
 * <p>Thread-safe: written by the control thread, read by every call; each field is volatile and
 * read once per call, so a call sees a slightly stale but consistent-enough setting.
 */
final class BackendBehaviour {

    private volatile long delayNanos;
    private volatile double failFraction;
    private volatile long warmupWindowNanos;
    private volatile double warmupFactor = 1;
    /** When the warm-up began (the first call after {@link #cold}); {@code Long.MIN_VALUE} until then. */
    private volatile long warmupStartNanos = Long.MIN_VALUE;

    BackendBehaviour(long delayNanos) {
        this.delayNanos = delayNanos;
    }

    void delay(long nanos) {
        delayNanos = nanos;
    }

    void failFraction(double fraction) {
        failFraction = fraction;
    }

    /** Makes the backend cold: from its next call, {@code factor} × slower, warming up over {@code windowNanos}. */
    void cold(long windowNanos, double factor) {
        warmupStartNanos = Long.MIN_VALUE;
        warmupWindowNanos = windowNanos;
        warmupFactor = factor;
    }

    /** Back to a warm backend with {@code delayNanos} that never fails. */
    void reset(long nanos) {
        delayNanos = nanos;
        failFraction = 0;
        warmupWindowNanos = 0;
        warmupFactor = 1;
        warmupStartNanos = Long.MIN_VALUE;
    }

    boolean shouldFail() {
        double f = failFraction;
        return f > 0 && (f >= 1 || ThreadLocalRandom.current().nextDouble() < f);
    }

    /** The delay for a call arriving at {@code nowNanos}; the first call of a cold backend starts its warm-up. */
    long delayNanos(long nowNanos) {
        long base = delayNanos;
        long window = warmupWindowNanos;
        if (window <= 0) {
            return base;
        }
        long start = warmupStartNanos;
        if (start == Long.MIN_VALUE) {
            // Racing first calls may each set it; they agree within microseconds, which is enough.
            warmupStartNanos = nowNanos;
            start = nowNanos;
        }
        long elapsed = nowNanos - start;
        if (elapsed >= window) {
            return base;
        }
        double remaining = 1 - (double) elapsed / window;
        return Math.round(base * (1 + (warmupFactor - 1) * remaining));
    }
}
