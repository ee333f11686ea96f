package dev.lbchannel.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One workload's results over all rounds: each client's median of every metric, and lbchannel's
 * ratio to each grpc-java client as the median of the per-round ratios (adjacent runs are paired,
 * so slow drift of the machine cancels out). Immutable.
 */
final class WorkloadSummary {

    /** The metrics, in table order; latency is per call, the others per operation. */
    enum Metric {
        THROUGHPUT("ops/s", RunResult::opsPerSecond),
        P50("p50 µs", RunResult::p50Micros),
        P99("p99 µs", RunResult::p99Micros),
        P999("p99.9 µs", RunResult::p999Micros),
        CLIENT_CPU("client CPU µs/op", RunResult::clientCpuMicrosPerOp),
        CLIENT_ALLOC("client B/op", RunResult::clientBytesPerOp),
        CLIENT_WAKEUPS("client wake-ups/op", RunResult::clientWakeupsPerOp),
        SERVER_CPU("server CPU µs/op", RunResult::serverCpuMicrosPerOp);

        final String header;
        final ToDoubleFunction<RunResult> value;

        Metric(String header, ToDoubleFunction<RunResult> value) {
            this.header = header;
            this.value = value;
        }
    }

    private final Workload workload;
    private final Map<ClientKind, List<RunResult>> byClient = new EnumMap<>(ClientKind.class);

    WorkloadSummary(Workload workload, List<RunResult> results) {
        this.workload = workload;
        for (RunResult r : results) {
            if (r.workload().equals(workload)) {
                byClient.computeIfAbsent(r.client(), k -> new ArrayList<>()).add(r);
            }
        }
    }

    Workload workload() {
        return workload;
    }

    List<ClientKind> clients() {
        return List.copyOf(byClient.keySet());
    }

    double median(ClientKind client, Metric metric) {
        return median(byClient.get(client).stream().mapToDouble(metric.value).toArray());
    }

    /** lbchannel / {@code other}: the median over rounds of the two runs' ratio. */
    double ratio(ClientKind lbchannel, ClientKind other, Metric metric) {
        List<RunResult> a = byClient.get(lbchannel);
        List<RunResult> b = byClient.get(other);
        if (a == null || b == null) {
            return Double.NaN;
        }
        int n = Math.min(a.size(), b.size());
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = metric.value.applyAsDouble(a.get(i)) / metric.value.applyAsDouble(b.get(i));
        }
        return median(ratios);
    }

    /** How many of this client's kept runs stayed disturbed, and the most CPU others took in one. */
    int disturbedRuns(ClientKind client) {
        return (int) byClient.get(client).stream().filter(RunResult::disturbed).count();
    }

    double maxOthersCores(ClientKind client) {
        return byClient.get(client).stream().mapToDouble(RunResult::othersCores).max().orElse(-1);
    }

    int rounds(ClientKind client) {
        return byClient.get(client).size();
    }

    List<String> errors() {
        return byClient.values().stream().flatMap(List::stream)
                .filter(r -> r.error() != null).map(r -> r.client().id() + ": " + r.error()).toList();
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
