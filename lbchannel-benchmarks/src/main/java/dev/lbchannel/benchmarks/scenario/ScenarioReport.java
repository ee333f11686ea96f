package dev.lbchannel.benchmarks.scenario;

import dev.lbchannel.benchmarks.MachineInfo;
import dev.lbchannel.benchmarks.ReportSections;
import io.grpc.Grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes the scenario harness's section of BENCHMARKS.md (through {@link ReportSections}, so
 * hand-written text around it survives), one chart per scenario and its timelines as CSV: where and how it was
 * measured, issue 15's goals, then per scenario its chart, a table of the policies side by side
 * and the runs skipped and why. Used once, on the harness thread.
 */
final class ScenarioReport {

    static final String SECTION = "scenario-harness";

    private final ScenarioOptions options;
    private final List<RunResult> results;
    private final String backendsCommand;

    ScenarioReport(ScenarioOptions options, List<RunResult> results, String backendsCommand) {
        this.options = options;
        this.results = results;
        this.backendsCommand = backendsCommand;
    }

    void write() throws IOException {
        StringBuilder md = new StringBuilder();
        header(md);
        md.append("\n### Issue 15's goals in this run\n\n| goal | measured | target | |\n|---|---|---|---|\n");
        ScenarioGoals.rows(results).forEach(row -> md.append(row).append('\n'));
        for (Scenario scenario : options.scenarios) {
            List<RunResult> mine = results.stream().filter(r -> r.scenario() == scenario).toList();
            Path png = options.charts.resolve("scenario-" + scenario.id() + ".png");
            List<RunResult> measured = mine.stream().filter(r -> !r.wasSkipped()).toList();
            ScenarioChart.write(scenario.title(), measured,
                    scenario.hasEvent() ? options.timing.eventMillis() / 1000.0 : -1, png);
            Path csv = options.charts.resolve("scenario-" + scenario.id() + ".csv");
            Files.writeString(csv, timelineCsv(measured), StandardCharsets.UTF_8);
            scenarioSection(md, scenario, mine, link(png), link(csv));
        }
        ReportSections.replace(options.out, SECTION, md.toString());
    }

    private void header(StringBuilder md) {
        md.append("## Balancing scenarios (scenario harness)\n\n")
                .append("Measured ").append(ZonedDateTime.now(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" by `lbchannel-benchmarks/run-scenarios.sh")
                .append("quick".equals(options.preset) ? " --quick" : "").append("`.\n\n")
                .append("- Machine: ").append(MachineInfo.cpu()).append(", Linux ").append(MachineInfo.kernel())
                .append(". Shared with other engineers' builds while measuring (the tables' last column says how much CPU other\n")
                .append("  processes took during each run, of 2 cores): absolute figures are noisy, compare within a table.\n")
                .append("- JVM: ").append(MachineInfo.jvm()).append('\n')
                .append("- Client JVM: CPUs `").append(MachineInfo.allowedCpus()).append("`, flags `")
                .append(MachineInfo.clientJvmArgs()).append("`\n")
                .append("- Backends: `").append(backendsCommand).append("` — ").append(Scenario.MAX_BACKENDS)
                .append(" grpc-java ").append(Grpc.class.getPackage().getImplementationVersion() == null ? ""
                        : Grpc.class.getPackage().getImplementationVersion() + " ")
                .append("Netty servers on loopback, `TestService.UnaryCall` answering after a per-backend delay ")
                .append("on a timer, at most ").append(ScenarioBackend.WORKERS)
                .append(" calls at once per backend (the rest wait their turn, as in a server with a fixed worker pool), with an ORCA per-call report (CPU utilization = calls in flight / ")
                .append((int) ScenarioBackend.CAPACITY).append(") for weighted_round_robin\n")
                .append("- Workload: ").append(String.join("; ", options.describe()))
                .append(". A fresh channel per run (`directExecutor()` on both libraries); latencies are of ")
                .append("successful calls; a failed call counts and starts the next one\n");
    }

    private void scenarioSection(StringBuilder md, Scenario scenario, List<RunResult> mine, String chart, String csv) {
        md.append("\n### ").append(scenario.title()).append("\n\n").append(scenario.description()).append("\n\n")
                .append("![").append(scenario.title()).append(": p50/p99 per policy, share of calls per backend](")
                .append(chart).append(")\n\nCalls and failures per backend per second: [")
                .append(csv.substring(csv.lastIndexOf('/') + 1)).append("](").append(csv).append(").\n\n");
        double rrP99 = mine.stream().filter(r -> r.run().label().equals("round_robin") && !r.wasSkipped())
                .mapToDouble(RunResult::p99).findFirst().orElse(Double.NaN);
        md.append("| policy | calls/s | failed | p50 ms | p99 ms | p99.9 ms | p99 / round_robin | p99 before event ms "
                + "| calls per backend (b0 / b1 / b2 / b3 / b4) | others' CPU (cores) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (RunResult r : mine) {
            if (r.wasSkipped()) {
                continue;
            }
            md.append(String.format("| %s | %,.0f | %,d | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |%n", r.run().label(),
                    r.callsPerSecond(), r.failures(), r.p50(), r.p99(), r.p999(), r.p99() / rrP99,
                    scenario.hasEvent() ? String.format("%.2f", r.p99BeforeEvent()) : "—", shares(r),
                    r.othersCores() < 0 ? "—" : String.format("%.2f", r.othersCores())));
        }
        md.append("\nConfigs (`loadBalancingConfig` entries):");
        for (RunResult r : mine) {
            md.append("\n- ").append(r.run().label()).append(" (").append(r.run().client().display).append("): `{\"")
                    .append(r.run().policy()).append("\": ").append(r.run().configJson()).append("}`")
                    .append(r.wasSkipped() ? " — **skipped**: " + r.skipped() : "");
        }
        md.append('\n');
    }

    /** One row per run, second and backend: the timelines behind the charts, for a reader's own plots. */
    static String timelineCsv(List<RunResult> runs) {
        StringBuilder csv = new StringBuilder("policy,client,second,backend,calls,failures\n");
        for (RunResult r : runs) {
            BackendTimeline t = r.timeline();
            if (t == null) {
                continue;
            }
            for (int s = 0; s < t.seconds(); s++) {
                for (int b = 0; b < t.backends(); b++) {
                    csv.append('"').append(r.run().label()).append("\",").append(r.run().client().display).append(',')
                            .append(s).append(',').append(b).append(',').append(t.calls(s, b)).append(',')
                            .append(t.failures(s, b)).append('\n');
                }
            }
        }
        return csv.toString();
    }

    private static String shares(RunResult r) {
        BackendTimeline t = r.timeline();
        if (t == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (int b = 0; b < t.backends(); b++) {
            s.append(b == 0 ? "" : " / ").append(String.format("%.0f %%", 100 * t.totalShare(b)));
        }
        return s.toString();
    }

    private String link(Path png) {
        Path base = options.out.toAbsolutePath().getParent();
        return (base == null ? png : base.relativize(png.toAbsolutePath())).toString().replace('\\', '/');
    }
}
