package dev.lbchannel.reliability;

import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The calls of one {@link LoadDriver} run, every one ended: counts by status, latency
 * percentiles, which backend served what, and questions a fault test asks ("which calls failed
 * that started after the fault?", "how many were in flight while it happened?"). Times passed in
 * are {@link System#nanoTime()} values, the clock the driver recorded with. Immutable.
 */
public final class LoadReport {

    private final long originNanos;
    private final int rate;
    private final int calls;
    private final long[] startNanos;
    private final long[] endNanos;
    private final @Nullable Status[] statuses;
    private final @Nullable String[] servedBy;
    private final long[] sortedLatencies;

    LoadReport(long originNanos, int rate, int calls, long[] startNanos, long[] endNanos, @Nullable Status[] statuses,
            @Nullable String[] servedBy) {
        this.originNanos = originNanos;
        this.rate = rate;
        this.calls = calls;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.statuses = statuses;
        this.servedBy = servedBy;
        this.sortedLatencies = new long[calls];
        for (int i = 0; i < calls; i++) {
            sortedLatencies[i] = endNanos[i] - startNanos[i];
        }
        Arrays.sort(sortedLatencies);
    }

    /** Calls made (all of them ended). */
    public int calls() {
        return calls;
    }

    public int succeeded() {
        return count(Status.Code.OK);
    }

    /** How many calls ended with each status code; codes no call ended with are absent. */
    public Map<Status.Code, Integer> countsByCode() {
        Map<Status.Code, Integer> counts = new EnumMap<>(Status.Code.class);
        for (int i = 0; i < calls; i++) {
            counts.merge(status(i).getCode(), 1, Integer::sum);
        }
        return counts;
    }

    /** Every call that did not end OK, in start order. */
    public List<CallRecord> failures() {
        return failures(false, 0);
    }

    /** The failed calls that started after {@code nanoTime}, in start order. */
    public List<CallRecord> failuresStartedAfter(long nanoTime) {
        return failures(true, nanoTime);
    }

    /**
     * Calls open at some moment of {@code [fromNanos, toNanos]}: started by its end and not ended
     * before its start. For a fault that took that interval, the calls it could have hit.
     */
    public int inFlightDuring(long fromNanos, long toNanos) {
        int open = 0;
        for (int i = 0; i < calls; i++) {
            if (startNanos[i] - toNanos <= 0 && endNanos[i] - fromNanos >= 0) {
                open++;
            }
        }
        return open;
    }

    /**
     * Calls open at some moment of {@code [fromNanos, toNanos]} that {@code hostAndPort} served or
     * that no backend answered: the calls a backend that died in that window could have held,
     * since a call it cut off never saw response headers.
     */
    public int inFlightDuring(long fromNanos, long toNanos, String hostAndPort) {
        int open = 0;
        for (int i = 0; i < calls; i++) {
            String by = servedBy[i];
            if (startNanos[i] - toNanos <= 0 && endNanos[i] - fromNanos >= 0 && (by == null || by.equals(hostAndPort))) {
                open++;
            }
        }
        return open;
    }

    /** Calls started after {@code nanoTime} that {@code hostAndPort} served. */
    public int servedAfter(String hostAndPort, long nanoTime) {
        int served = 0;
        for (int i = 0; i < calls; i++) {
            if (hostAndPort.equals(servedBy[i]) && startNanos[i] - nanoTime > 0) {
                served++;
            }
        }
        return served;
    }

    /** Calls each backend served (as its response headers named it), by {@code host:port}. */
    public Map<String, Integer> servedBy() {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < calls; i++) {
            String by = servedBy[i];
            if (by != null) {
                counts.merge(by, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The latency (start to end, whatever the status) that {@code quantile} of the calls stayed within. */
    public Duration latency(double quantile) {
        if (quantile < 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be in [0, 1], was " + quantile);
        }
        int rank = (int) Math.ceil(quantile * calls);
        return Duration.ofNanos(sortedLatencies[Math.max(0, rank - 1)]);
    }

    /** {@code nanoTime} as time into the run. */
    public Duration at(long nanoTime) {
        return Duration.ofNanos(nanoTime - originNanos);
    }

    /** One line for logs and assertion messages: calls, rate, statuses, latencies, backends. */
    public String summary() {
        double seconds = (startNanos[calls - 1] - originNanos) / 1e9;
        String codes = countsByCode().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format("%d calls started over %.1f s (%d/s asked): %s; latency p50 %s, p99 %s, max %s;"
                        + " served by %s", calls, seconds, rate, codes, millis(latency(0.5)), millis(latency(0.99)),
                millis(latency(1)), servedBy());
    }

    @Override
    public String toString() {
        return summary();
    }

    private List<CallRecord> failures(boolean startedAfter, long nanoTime) {
        List<CallRecord> failures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            // nanoTime values compare by their difference only: they may wrap.
            if (!status(i).isOk() && (!startedAfter || startNanos[i] - nanoTime > 0)) {
                failures.add(record(i));
            }
        }
        return failures;
    }

    private int count(Status.Code code) {
        int count = 0;
        for (int i = 0; i < calls; i++) {
            if (status(i).getCode() == code) {
                count++;
            }
        }
        return count;
    }

    private Status status(int index) {
        Status status = statuses[index];
        if (status == null) {
            throw new IllegalStateException("Call " + index + " has not ended");
        }
        return status;
    }

    private CallRecord record(int index) {
        return new CallRecord(index, at(startNanos[index]), Duration.ofNanos(endNanos[index] - startNanos[index]),
                status(index), servedBy[index]);
    }

    private static String millis(Duration duration) {
        return String.format("%.2f ms", duration.toNanos() / 1e6);
    }

    /**
     * One call: its index in the run, when it started (time into the run), how long it took, how
     * it ended and which backend served it ({@code null} when no response headers came).
     */
    public record CallRecord(int index, Duration startedAt, Duration latency, Status status,
            @Nullable String servedBy) {

        @Override
        public String toString() {
            return String.format("#%d at %s: %s after %s%s", index, startedAt, status, millis(latency),
                    servedBy == null ? "" : " from " + servedBy);
        }
    }
}
