package dev.lbchannel.benchmarks.scenario;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Calls per backend per one-second bucket of a run, succeeded and failed, counted by completion
 * time from the run's origin. A call outside the run (before the origin, or draining after its
 * last bucket) or from an unknown backend is not counted here; the latency recorder still sees it.
 *
 * <p>Thread-safe and lock-free: calls complete on the channels' threads, the harness reads after
 * the run.
 */
final class BackendTimeline {

    private final int backends;
    private final int seconds;
    private final long originNanos;
    private final AtomicLongArray succeeded;
    private final AtomicLongArray failed;

    BackendTimeline(int backends, int seconds, long originNanos) {
        this.backends = backends;
        this.seconds = seconds;
        this.originNanos = originNanos;
        this.succeeded = new AtomicLongArray(backends * seconds);
        this.failed = new AtomicLongArray(backends * seconds);
    }

    /** Counts one call that ended at {@code nowNanos} on {@code backend}. */
    void record(long nowNanos, int backend, boolean ok) {
        long elapsed = nowNanos - originNanos;
        if (elapsed < 0 || backend < 0 || backend >= backends) {
            return;
        }
        long second = TimeUnit.NANOSECONDS.toSeconds(elapsed);
        if (second >= seconds) {
            return;
        }
        (ok ? succeeded : failed).incrementAndGet((int) second * backends + backend);
    }

    int backends() {
        return backends;
    }

    int seconds() {
        return seconds;
    }

    long calls(int second, int backend) {
        int i = second * backends + backend;
        return succeeded.get(i) + failed.get(i);
    }

    long failures(int second, int backend) {
        return failed.get(second * backends + backend);
    }

    /** The share of {@code second}'s calls that went to {@code backend}, 0 when there were none. */
    double share(int second, int backend) {
        long total = 0;
        for (int b = 0; b < backends; b++) {
            total += calls(second, b);
        }
        return total == 0 ? 0 : (double) calls(second, backend) / total;
    }

    /** The share of all the run's calls that went to {@code backend}. */
    double totalShare(int backend) {
        long mine = 0;
        long total = 0;
        for (int s = 0; s < seconds; s++) {
            for (int b = 0; b < backends; b++) {
                total += calls(s, b);
            }
            mine += calls(s, backend);
        }
        return total == 0 ? 0 : (double) mine / total;
    }
}
