package dev.lbchannel.benchmarks.load;

import dev.lbchannel.benchmarks.MachineInfo;
import dev.lbchannel.benchmarks.ReportSections;
import dev.lbchannel.benchmarks.load.WorkloadSummary.Metric;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the harness's section of BENCHMARKS.md: machine, settings, issue 4's targets with the
 * measured ratios, and one table per workload. Text outside the section (a profile, a closing
 * note) is kept when the harness runs again; see {@link ReportSections}. Stateless apart from
 * what it is given.
 */
final class MarkdownReport {

    static final String SECTION = "load-harness";

    private final HarnessOptions options;
    private final List<WorkloadSummary> summaries;
    private final ServerProcess server;

    MarkdownReport(HarnessOptions options, List<WorkloadSummary> summaries, ServerProcess server) {
        this.options = options;
        this.summaries = summaries;
        this.server = server;
    }

    /** Replaces the harness's section of {@code file}, or adds it. */
    void writeTo(Path file) throws IOException {
        ReportSections.replace(file, options.server.section, render());
    }

    private String render() {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(options.server.heading).append("\n\n");
        md.append("Measured ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" by `lbchannel-benchmarks/").append(options.server.script(options.preset)).append("`.\n\n");
        md.append("- Machine: ").append(MachineInfo.cpu()).append(", Linux ").append(MachineInfo.kernel()).append('\n');
        md.append("- JVM: ").append(MachineInfo.jvm()).append('\n');
        md.append("- Client JVM: CPUs `").append(MachineInfo.allowedCpus()).append("`, flags `")
                .append(MachineInfo.clientJvmArgs()).append("`\n");
        md.append("- Server JVM: `").append(server.command()).append(" ").append(options.server.main.getSimpleName())
                .append("` — ").append(options.server.description).append('\n');
        md.append("- Clients: ");
        List<String> clients = new ArrayList<>();
        for (ClientKind kind : options.clients) {
            clients.add("`" + kind.id() + "` = " + kind.description());
        }
        md.append(String.join("; ", clients)).append('\n');
        md.append("- Run: ").append(String.join("; ", options.describe())).append("\n\n");
        md.append(targets()).append('\n');
        for (WorkloadSummary s : summaries) {
            md.append(table(s)).append('\n');
        }
        md.append(method(options.server));
        return md.toString();
    }

    private String targets() {
        StringBuilder md = new StringBuilder("### Issue 4's targets (lbchannel / grpc-java with `directExecutor()`, same run)\n\n");
        md.append("| target | workload | measured | goal | |\n|---|---|---:|---:|---|\n");
        target(md, "client CPU per unary call", Workload.unary(64, 16), Metric.CLIENT_CPU, 0.8, true);
        target(md, "client bytes allocated per unary call", Workload.unary(64, 16), Metric.CLIENT_ALLOC, 0.4, true);
        target(md, "client CPU per streamed message", Workload.serverStreaming(16, 16, 100), Metric.CLIENT_CPU, 0.8, true);
        target(md, "throughput", Workload.unary(64, 16), Metric.THROUGHPUT, 1.05, false);
        target(md, "p99 latency", Workload.unary(16, 16), Metric.P99, 1.0, true);
        md.append("\n### A retry policy that never fires (issue 12)\n\n");
        md.append("| target | workload | measured | goal | |\n|---|---|---:|---:|---|\n");
        target(md, "client CPU per unary call, lbchannel-retry / lbchannel", Workload.unary(64, 16),
                Metric.CLIENT_CPU, 1.10, true, ClientKind.LBCHANNEL_RETRY, ClientKind.LBCHANNEL);
        target(md, "client CPU per unary call, lbchannel-retry / grpc-java-direct-retry", Workload.unary(64, 16),
                Metric.CLIENT_CPU, 0.8, true, ClientKind.LBCHANNEL_RETRY, ClientKind.GRPC_DIRECT_RETRY);
        target(md, "client bytes per unary call, lbchannel-retry / grpc-java-direct-retry", Workload.unary(64, 16),
                Metric.CLIENT_ALLOC, 0.4, true, ClientKind.LBCHANNEL_RETRY, ClientKind.GRPC_DIRECT_RETRY);
        md.append("\n### Outlier detection (issue 13; run with `--clients lbchannel-rr,lbchannel-outlier`)\n\n");
        md.append("| target | workload | measured | goal | |\n|---|---|---:|---:|---|\n");
        target(md, "client CPU per unary call, lbchannel-outlier / lbchannel-rr", Workload.unary(64, 16),
                Metric.CLIENT_CPU, 1.15, true, ClientKind.LBCHANNEL_OUTLIER, ClientKind.LBCHANNEL_ROUND_ROBIN);
        md.append("\n### Issue 18's targets (lbchannel / grpc-java, same run)\n\n");
        md.append("| target | workload | measured | goal | |\n|---|---|---:|---:|---|\n");
        target(md, "client CPU per unary call", Workload.unary(64, 16), Metric.CLIENT_CPU, 0.5, true);
        target(md, "client bytes allocated per unary call", Workload.unary(64, 16), Metric.CLIENT_ALLOC, 0.35, true);
        target(md, "client CPU per unary call, default executors (lbchannel-default / grpc-java as shipped)",
                Workload.unary(64, 16), Metric.CLIENT_CPU, 0.5, true, ClientKind.LBCHANNEL_DEFAULT,
                ClientKind.GRPC_SHIPPED);
        target(md, "client CPU per streamed message", Workload.serverStreaming(16, 16, 100), Metric.CLIENT_CPU, 0.6,
                true);
        target(md, "streaming throughput", Workload.serverStreaming(16, 16, 100), Metric.THROUGHPUT, 1.1, false);
        target(md, "streaming p99 latency", Workload.serverStreaming(16, 16, 100), Metric.P99, 1.0, true);
        target(md, "client CPU per bidi message", Workload.bidi(16, 16, 100), Metric.CLIENT_CPU, 0.6, true);
        target(md, "bidi throughput", Workload.bidi(16, 16, 100), Metric.THROUGHPUT, 1.1, false);
        target(md, "bidi p99 latency", Workload.bidi(16, 16, 100), Metric.P99, 1.0, true);
        target(md, "unary throughput at concurrency 64", Workload.unary(64, 16), Metric.THROUGHPUT, 1.3, false);
        target(md, "p99 latency at concurrency 16", Workload.unary(16, 16), Metric.P99, 0.8, true);
        md.append("\nThe picker and resolver-update targets are JMH's: see the JMH section.\n");
        return md.toString();
    }

    private void target(StringBuilder md, String name, Workload workload, Metric metric, double goal, boolean atMost) {
        target(md, name, workload, metric, goal, atMost, ClientKind.LBCHANNEL, ClientKind.GRPC_DIRECT);
    }

    private void target(StringBuilder md, String name, Workload workload, Metric metric, double goal, boolean atMost,
            ClientKind measured, ClientKind against) {
        WorkloadSummary s = summaries.stream().filter(x -> x.workload().equals(workload)).findFirst().orElse(null);
        md.append("| ").append(name).append(" | ").append(workload.spec()).append(" | ");
        if (s == null || !s.clients().contains(measured) || !s.clients().contains(against)) {
            md.append("not run | ").append(atMost ? "≤ " : "≥ ").append(goal).append(" | |\n");
            return;
        }
        double ratio = s.ratio(measured, against, metric);
        boolean met = atMost ? ratio <= goal : ratio >= goal;
        md.append(fmt("%.2f", ratio)).append(" | ").append(atMost ? "≤ " : "≥ ").append(goal).append(" | ")
                .append(met ? "met" : "**not met**").append(" |\n");
    }

    private String table(WorkloadSummary s) {
        Workload w = s.workload();
        StringBuilder md = new StringBuilder("### ").append(w.title()).append(" (`").append(w.spec()).append("`)\n\n");
        md.append("| client |");
        for (Metric m : Metric.values()) {
            md.append(' ').append(m.header.replace("op", w.unit())).append(" |");
        }
        md.append(" others' CPU (cores, max) | disturbed runs |\n|---|");
        md.append("---:|".repeat(Metric.values().length + 2)).append('\n');
        for (ClientKind c : s.clients()) {
            md.append("| ").append(c.id()).append(" |");
            for (Metric m : Metric.values()) {
                md.append(' ').append(value(m, s.median(c, m))).append(" |");
            }
            int disturbed = s.disturbedRuns(c);
            md.append(' ').append(s.maxOthersCores(c) < 0 ? "n/a" : fmt("%.2f", s.maxOthersCores(c))).append(" | ")
                    .append(disturbed == 0 ? "0" : "**" + disturbed + "**").append('/').append(s.rounds(c)).append(" |\n");
        }
        for (ClientKind lb : s.clients()) {
            if (!lb.isLbChannel()) {
                continue;
            }
            for (ClientKind other : s.clients()) {
                if (other.isLbChannel() || (lb == ClientKind.LBCHANNEL_RETRY) != (other == ClientKind.GRPC_DIRECT_RETRY)) {
                    continue; // the retry clients are compared with each other only
                }
                md.append("| *").append(lb.id()).append(" / ").append(other.id()).append("* |");
                for (Metric m : Metric.values()) {
                    md.append(" *").append(fmt("%.2f", s.ratio(lb, other, m))).append("* |");
                }
                md.append(" | |\n");
            }
        }
        for (String error : s.errors()) {
            md.append("\nCall failures: ").append(error).append('\n');
        }
        return md.toString();
    }

    private static String value(Metric m, double v) {
        return switch (m) {
            case THROUGHPUT, CLIENT_ALLOC -> fmt("%,.0f", v);
            case P50, P99, P999 -> fmt("%.1f", v);
            case CLIENT_CPU, SERVER_CPU, CLIENT_WAKEUPS -> fmt("%.2f", v);
        };
    }

    private static String method(ServerKind server) {
        return """
                How to read this: each cell is the median over rounds; a ratio is the median of the per-round
                ratios of adjacent runs. Latency is per call (start to close, as the application sees it);
                the other columns are per operation (a unary call, or one streamed response). Client CPU is
                the client JVM's process CPU time (JIT and GC included) over the measured window; client
                bytes are the sum of HotSpot's per-thread allocation counters; client wake-ups are the
                voluntary context switches of the client's threads (`/proc/<pid>/task/*/status`, per thread,
                so a thread that ends inside the window is left out rather than subtracted), one per
                hand-off of work to a sleeping thread, a figure other processes hardly move; server CPU is the server
                process's utime + stime from `/proc`. "Others' CPU" is the machine's busy time minus both
                JVMs' during the window: a run where it exceeds the threshold is marked disturbed and
                measured again; if it stays disturbed it is kept and counted in bold.

                Reproduce: %s; each rewrites only this section.

                """.formatted(server.reproduce);
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
    }
}
