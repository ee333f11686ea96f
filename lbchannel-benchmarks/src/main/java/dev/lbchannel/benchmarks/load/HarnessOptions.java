package dev.lbchannel.benchmarks.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The harness's command line. {@code --quick} (the default) fits the whole run, build included,
 * in about nine minutes; {@code --full} is for numbers to publish. Every setting can be overridden
 * after the preset. Immutable once parsed.
 */
final class HarnessOptions {

    static final List<Workload> ALL_WORKLOADS = List.of(
            Workload.unary(1, 16), Workload.unary(16, 16), Workload.unary(64, 16),
            Workload.unary(1, 1024), Workload.unary(16, 1024), Workload.unary(64, 1024),
            Workload.serverStreaming(16, 16, 100), Workload.bidi(16, 16, 100));

    String preset = "quick";
    int rounds = 2;
    long clientWarmupMillis = 4_000;
    long warmupMillis = 1_000;
    long measureMillis = 2_000;
    int retries = 1;
    double disturbedAboveCores = 0.10;
    int serverCpu = 1;
    ServerKind server = ServerKind.GRPC_JAVA;
    List<String> serverJvmArgs = List.of("-Xms1g", "-Xmx1g");
    List<ClientKind> clients = List.of(ClientKind.LBCHANNEL, ClientKind.LBCHANNEL_DEFAULT, ClientKind.LBCHANNEL_RETRY,
            ClientKind.GRPC_SHIPPED, ClientKind.GRPC_DIRECT, ClientKind.GRPC_DIRECT_RETRY);
    List<Workload> workloads = ALL_WORKLOADS;
    Path out = Path.of("BENCHMARKS.md");
    boolean writeReport = true;

    static HarnessOptions parse(String[] args) {
        HarnessOptions o = new HarnessOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> o.quick();
                case "--full" -> o.full();
                case "--rounds" -> o.rounds = Integer.parseInt(value(args, ++i, arg));
                case "--client-warmup-ms" -> o.clientWarmupMillis = Long.parseLong(value(args, ++i, arg));
                case "--warmup-ms" -> o.warmupMillis = Long.parseLong(value(args, ++i, arg));
                case "--measure-ms" -> o.measureMillis = Long.parseLong(value(args, ++i, arg));
                case "--retries" -> o.retries = Integer.parseInt(value(args, ++i, arg));
                case "--disturbed-above" -> o.disturbedAboveCores = Double.parseDouble(value(args, ++i, arg));
                case "--server-cpu" -> o.serverCpu = Integer.parseInt(value(args, ++i, arg));
                case "--no-pin" -> o.serverCpu = -1;
                case "--server" -> o.server = ServerKind.byId(value(args, ++i, arg));
                case "--server-jvm-args" -> o.serverJvmArgs = List.of(value(args, ++i, arg).trim().split("\\s+"));
                case "--clients" -> o.clients = Arrays.stream(value(args, ++i, arg).split(","))
                        .map(ClientKind::byId).toList();
                case "--workloads" -> o.workloads = Arrays.stream(value(args, ++i, arg).split(","))
                        .map(Workload::parse).toList();
                case "--out" -> o.out = Path.of(value(args, ++i, arg));
                case "--no-report" -> o.writeReport = false;
                default -> throw new IllegalArgumentException("Unknown option '" + arg + "'; see run-quick.sh and "
                        + "run-full.sh for the options in use");
            }
        }
        return o;
    }

    private void quick() {
        preset = "quick";
        rounds = 2;
        clientWarmupMillis = 4_000;
        warmupMillis = 1_000;
        measureMillis = 2_000;
        retries = 1;
    }

    private void full() {
        preset = "full";
        rounds = 5;
        clientWarmupMillis = 15_000;
        warmupMillis = 3_000;
        measureMillis = 10_000;
        retries = 2;
    }

    /** The settings as a command line, for the report. */
    List<String> describe() {
        List<String> d = new ArrayList<>();
        d.add("preset " + preset);
        d.add(rounds + " rounds (A B C, B C A, …), after one unmeasured pass of each workload per client");
        d.add(clientWarmupMillis / 1000.0 + " s warm-up per client at start");
        d.add(warmupMillis / 1000.0 + " s warm-up + " + measureMillis / 1000.0 + " s measured per run");
        d.add("a run is disturbed when other processes use more than " + disturbedAboveCores
                + " cores; remeasured up to " + retries + " time(s)");
        return d;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
