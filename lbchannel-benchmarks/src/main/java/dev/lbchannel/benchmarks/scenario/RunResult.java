package dev.lbchannel.benchmarks.scenario;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;

/**
 * What one policy did in one scenario: calls, failures, latency percentiles of the successful
 * calls in milliseconds, the p99 before the scenario's event (the baseline a late change is judged
 * against), calls per backend over time, and the CPU other processes took meanwhile (in cores;
 * -1 where {@code /proc} is missing); or why it was skipped. Immutable once built (the
 * timeline is only read after its run).
 */
record RunResult(Scenario scenario, PolicyRun run, @Nullable String skipped, long calls, long failures,
        double seconds, double p50, double p99, double p999, double p99BeforeEvent,
        @Nullable BackendTimeline timeline, double othersCores) {

    static RunResult skipped(Scenario scenario, PolicyRun run, String why) {
        return new RunResult(scenario, run, why, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, -1);
    }

    /**
     * @param all the latencies of every successful call of the run, in nanoseconds
     * @param beforeEvent those of the calls that ended before the scenario's event
     */
    static RunResult measured(Scenario scenario, PolicyRun run, Histogram all, Histogram beforeEvent,
            long failures, double seconds, BackendTimeline timeline, double othersCores) {
        return new RunResult(scenario, run, null, all.getTotalCount() + failures, failures, seconds,
                millis(all, 50), millis(all, 99), millis(all, 99.9), millis(beforeEvent, 99), timeline, othersCores);
    }

    boolean wasSkipped() {
        return skipped != null;
    }

    double callsPerSecond() {
        return seconds == 0 ? 0 : calls / seconds;
    }

    String line() {
        if (skipped != null) {
            return String.format("%-10s %-34s skipped: %s", scenario.id(), run.label(), skipped);
        }
        return String.format("%-10s %-34s %,8d calls %,7d failed  p50 %6.2f  p99 %6.2f  p99.9 %6.2f ms  others %.2f cores",
                scenario.id(), run.label(), calls, failures, p50, p99, p999, othersCores);
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN
                : h.getValueAtPercentile(percentile) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }
}
