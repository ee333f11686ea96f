package dev.lbchannel.benchmarks.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scenario harness's command line. {@code --quick} (about 2–3 minutes) or {@code --full}
 * (the default, about 6); {@code --scenarios slow,cold} to run some; {@code --policies round_robin,peak_ewma}
 * to run only the runs with these labels (see {@link RunList}); {@code --concurrency N} calls
 * outstanding (32); {@code --measure-seconds S}; {@code --out FILE} (BENCHMARKS.md) and
 * {@code --charts DIR} (docs/benchmarks) for the report, or {@code --no-report}; {@code --no-pin}
 * to leave the backends' JVM unpinned (else CPU 1, the client being on CPU 0 by the script).
 * Mutable only while parsing.
 */
final class ScenarioOptions {

    String preset = "full";
    Scenario.Timing timing = new Scenario.Timing(1_500, 12_000);
    long jitWarmupMillis = 4_000;
    int concurrency = 32;
    List<Scenario> scenarios = List.of(Scenario.values());
    /** Run labels to run, or empty for all. */
    List<String> policies = List.of();
    Path out = Path.of("BENCHMARKS.md");
    Path charts = Path.of("docs/benchmarks");
    boolean writeReport = true;
    int backendsCpu = 1;
    List<String> backendsJvmArgs = List.of("-Xms256m", "-Xmx256m");

    static ScenarioOptions parse(String... args) {
        ScenarioOptions o = new ScenarioOptions();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    o.preset = "quick";
                    o.timing = new Scenario.Timing(1_000, 5_000);
                    o.jitWarmupMillis = 2_000;
                }
                case "--full" -> {
                    // The defaults.
                }
                case "--scenarios" -> o.scenarios = Arrays.stream(args[++i].split(",")).map(Scenario::byId).toList();
                case "--policies" -> o.policies = Arrays.stream(args[++i].split(",")).map(String::trim).toList();
                case "--concurrency" -> o.concurrency = Integer.parseInt(args[++i]);
                case "--measure-seconds" -> o.timing = new Scenario.Timing(o.timing.leadInMillis(),
                        Math.round(Double.parseDouble(args[++i]) * 1000));
                case "--out" -> o.out = Path.of(args[++i]);
                case "--charts" -> o.charts = Path.of(args[++i]);
                case "--no-report" -> o.writeReport = false;
                case "--no-pin" -> o.backendsCpu = -1;
                default -> throw new IllegalArgumentException("Unknown option '" + args[i] + "'; known: --quick, --full, "
                        + "--scenarios, --policies, --concurrency, --measure-seconds, --out, --charts, --no-report, --no-pin");
            }
        }
        return o;
    }

    boolean selects(PolicyRun run) {
        return policies.isEmpty() || policies.contains(run.label());
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("preset " + preset + "; " + concurrency + " calls outstanding; "
                + timing.leadInMillis() / 1000.0 + " s unmeasured lead-in + " + timing.measureMillis() / 1000.0
                + " s measured per run; events at " + timing.eventMillis() / 1000.0 + " s; cold warm-up "
                + timing.warmupWindowMillis() / 1000.0 + " s; " + jitWarmupMillis / 1000.0
                + " s JIT warm-up per client library at start");
        return lines;
    }
}
