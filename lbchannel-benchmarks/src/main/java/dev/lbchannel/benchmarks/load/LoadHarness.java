package dev.lbchannel.benchmarks.load;

import dev.lbchannel.benchmarks.MachineInfo;
import io.grpc.ManagedChannel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load harness's entry point. Starts the server JVM pinned to its own CPU, opens one channel
 * per client kind, warms each up, then for every workload measures the clients in turn, round
 * after round with the order rotated (A B C, B C A, …) after an unmeasured pass of each workload,
 * remeasuring runs that other processes disturbed, and writes the
 * report. Run the client JVM pinned to the other CPU ({@code taskset -c 0}); the scripts do.
 * Options: see {@link HarnessOptions}.
 */
public final class LoadHarness {

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        HarnessOptions options = HarnessOptions.parse(args);
        System.out.println("client CPUs " + MachineInfo.allowedCpus() + "; " + String.join("; ", options.describe()));
        try (ServerProcess server = ServerProcess.start(options.serverCpu, options.serverJvmArgs, options.server.main)) {
            Map<ClientKind, ManagedChannel> channels = new EnumMap<>(ClientKind.class);
            try {
                for (ClientKind kind : options.clients) {
                    channels.put(kind, kind.open(server.port()));
                }
                List<RunResult> results = run(options, server, channels);
                List<WorkloadSummary> summaries = new ArrayList<>();
                for (Workload w : options.workloads) {
                    summaries.add(new WorkloadSummary(w, results));
                }
                if (options.writeReport) {
                    new MarkdownReport(options, summaries, server).writeTo(options.out);
                    System.out.println("wrote " + options.out.toAbsolutePath());
                }
            } finally {
                for (ManagedChannel channel : channels.values()) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
        System.exit(0); // channels' shared pools may keep non-daemon threads a little longer
    }

    private static List<RunResult> run(HarnessOptions options, ServerProcess server,
            Map<ClientKind, ManagedChannel> channels) throws InterruptedException {
        RunMeter warmup = new RunMeter(server, 0, options.clientWarmupMillis, Double.MAX_VALUE);
        for (ClientKind kind : options.clients) {
            // JIT-compile each client's path on a mid-sized load before anything counts.
            RunResult r = warmup.measure(channels.get(kind), kind, Workload.unary(16, 16), 0);
            System.out.println("warm-up  " + r.line());
        }
        RunMeter meter = new RunMeter(server, options.warmupMillis, options.measureMillis, options.disturbedAboveCores);
        RunMeter workloadWarmup = new RunMeter(server, 0, options.warmupMillis, Double.MAX_VALUE);
        List<RunResult> results = new ArrayList<>();
        for (Workload workload : options.workloads) {
            // Every client runs the workload once unmeasured first, so that neither the server's
            // nor a client's first pass through a new path (JIT compilation) lands in one client's numbers.
            for (ClientKind kind : options.clients) {
                workloadWarmup.measure(channels.get(kind), kind, workload, 0);
            }
            for (int round = 1; round <= options.rounds; round++) {
                // Rotating who goes first keeps any drift over a workload from favouring one client.
                List<ClientKind> order = new ArrayList<>(options.clients);
                java.util.Collections.rotate(order, -(round - 1));
                for (ClientKind kind : order) {
                    RunResult kept = measureUndisturbed(meter, channels.get(kind), kind, workload, round, options.retries);
                    System.out.println(kept.line());
                    results.add(kept);
                }
            }
        }
        return results;
    }

    /** Measures once, and again up to {@code retries} times while disturbed; keeps the least disturbed. */
    private static RunResult measureUndisturbed(RunMeter meter, ManagedChannel channel, ClientKind kind,
            Workload workload, int round, int retries) throws InterruptedException {
        RunResult best = null;
        int attempts = 0;
        do {
            RunResult r = meter.measure(channel, kind, workload, round);
            attempts++;
            if (best == null || r.othersCores() < best.othersCores()) {
                best = r;
            }
            if (r.disturbed() && attempts <= retries) {
                System.out.println("disturbed, measuring again: " + r.line());
            }
        } while (best.disturbed() && attempts <= retries);
        return best.withAttempts(attempts);
    }
}
