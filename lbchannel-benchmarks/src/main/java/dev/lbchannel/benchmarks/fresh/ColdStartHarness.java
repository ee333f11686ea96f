package dev.lbchannel.benchmarks.fresh;

import dev.lbchannel.benchmarks.MachineInfo;
import dev.lbchannel.benchmarks.ReportSections;
import dev.lbchannel.benchmarks.load.ServerProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold start, side by side: starts grpc-java's server in its own JVM, then runs
 * {@link ColdStartProbe} in a fresh JVM per sample for each client, alternating which goes first,
 * after one unmeasured run of each (the server's own first call is not a client's cost). Reports
 * medians and p90s of the wall time from {@code ProcessBuilder.start()} to the probe's answer,
 * of the JVM's own start-to-call time, and of the classes loaded; with {@code --classes}, one
 * more run per client logs its class loading and the report lists the largest package groups.
 * Options: {@code --runs N} (10), {@code --out FILE} (BENCHMARKS.md), {@code --no-report},
 * {@code --classes}, {@code --jvm-args 'ARGS'} (flags for every probe JVM).
 */
public final class ColdStartHarness {

    private static final String SECTION = "coldstart";

    private ColdStartHarness() {
    }

    /** The measurements of one client. */
    private record Figures(Samples wallMillis, Samples jvmMillis, Samples mainMillis, Samples classes, Samples cpuMillis) {
        Figures() {
            this(new Samples(), new Samples(), new Samples(), new Samples(), new Samples());
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        Path out = Path.of("BENCHMARKS.md");
        boolean report = true;
        boolean classes = false;
        List<String> jvmArgs = List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-report" -> report = false;
                case "--classes" -> classes = true;
                case "--jvm-args" -> jvmArgs = List.of(args[++i].trim().split("\\s+"));
                default -> throw new IllegalArgumentException("Unknown option '" + args[i]
                        + "'; known: --runs N, --out FILE, --no-report, --classes, --jvm-args 'ARGS'");
            }
        }
        String loadBefore = MachineInfo.loadAverage();
        Map<FreshClient, Figures> figures;
        Map<FreshClient, ClassLoadCounts> loaded = new EnumMap<>(FreshClient.class);
        try (ServerProcess server = ServerProcess.start(-1, List.of("-Xms256m", "-Xmx256m"))) {
            figures = measure(server.port(), runs, jvmArgs);
            if (classes) {
                for (FreshClient client : FreshClient.values()) {
                    loaded.put(client, logClasses(client, server.port(), jvmArgs));
                }
            }
        }
        String markdown = markdown(runs, jvmArgs, figures, loaded, loadBefore + " → " + MachineInfo.loadAverage());
        System.out.println(markdown);
        if (report) {
            ReportSections.replace(out, SECTION, markdown);
            System.out.println("wrote " + out.toAbsolutePath());
        }
    }

    /** One unmeasured run per client (the server's own first call is nobody's cost), then {@code runs} rounds. */
    private static Map<FreshClient, Figures> measure(int port, int runs, List<String> jvmArgs) throws Exception {
        Map<FreshClient, Figures> figures = new EnumMap<>(FreshClient.class);
        for (FreshClient client : FreshClient.values()) {
            probe(client, port, jvmArgs);
            figures.put(client, new Figures());
        }
        for (int run = 0; run < runs; run++) {
            // Alternating who goes first keeps drift in the machine's load from favouring one client.
            List<FreshClient> order = run % 2 == 0 ? List.of(FreshClient.LBCHANNEL, FreshClient.GRPC_JAVA)
                    : List.of(FreshClient.GRPC_JAVA, FreshClient.LBCHANNEL);
            for (FreshClient client : order) {
                ChildJvm.Answer a = probe(client, port, jvmArgs);
                double jvmToCall = Double.parseDouble(a.words()[0]);
                double mainToCall = jvmToCall - Double.parseDouble(a.words()[1]);
                Figures f = figures.get(client);
                f.wallMillis.add(a.wallNanos() / 1e6);
                f.jvmMillis.add(jvmToCall);
                f.mainMillis.add(mainToCall);
                f.classes.add(Double.parseDouble(a.words()[2]));
                f.cpuMillis.add(Double.parseDouble(a.words()[3]));
                System.out.printf(Locale.ROOT, "run %d %-9s wall %.0f ms, JVM start to call %.0f ms, main to call %.0f ms, "
                        + "%s classes, CPU %s ms%n", run + 1, client.id(), a.wallNanos() / 1e6, jvmToCall, mainToCall,
                        a.words()[2], a.words()[3]);
            }
        }
        return figures;
    }

    /** One more run with {@code -Xlog:class+load}, counted by package group. */
    private static ClassLoadCounts logClasses(FreshClient client, int port, List<String> jvmArgs) throws Exception {
        Path log = Files.createTempFile("coldstart-" + client.id(), ".log");
        try {
            List<String> logging = new ArrayList<>(jvmArgs);
            logging.add(ClassLoadCounts.logFlag(log));
            probe(client, port, logging);
            return ClassLoadCounts.read(log);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static ChildJvm.Answer probe(FreshClient client, int port, List<String> jvmArgs) throws Exception {
        return ChildJvm.run(jvmArgs, ColdStartProbe.class, List.of(client.id(), Integer.toString(port)));
    }

    private static String markdown(int runs, List<String> jvmArgs, Map<FreshClient, Figures> figures,
            Map<FreshClient, ClassLoadCounts> loaded, String load) {
        StringBuilder md = new StringBuilder("## Cold start: JVM start to the first completed call (`run-coldstart.sh`)\n\n");
        md.append("Measured ").append(LocalDate.now()).append(" on ").append(MachineInfo.cpu()).append(", Linux ")
                .append(MachineInfo.kernel()).append(", ").append(MachineInfo.jvm().replaceFirst(", max heap.*", ""))
                .append(jvmArgs.isEmpty() ? " (the probes' JVMs run with default flags). "
                        : " (the probes' JVMs run with `" + String.join(" ", jvmArgs) + "`). ").append(runs)
                .append(" fresh JVMs per client, alternating which starts first; both use the same class path. "
                        + "Machine load (1-minute average, start → end of the run): ").append(load)
                .append(". Wall: the harness's `ProcessBuilder.start()` to the probe's answer; JVM start: the JVM's own "
                        + "start time to the call's end; CPU time: all the probe's threads until just after the call.\n\n");
        md.append("| client | wall median (ms) | wall p90 (ms) | JVM start → call, median (ms) | p90 (ms) | main() → call, median (ms) "
                + "| CPU time, median (ms) | classes loaded |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FreshClient client : FreshClient.values()) {
            Figures f = figures.get(client);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", client.id(),
                    f.wallMillis.median(), f.wallMillis.percentile(90), f.jvmMillis.median(), f.jvmMillis.percentile(90),
                    f.mainMillis.median(), f.cpuMillis.median(), f.classes.median()));
        }
        Figures lb = figures.get(FreshClient.LBCHANNEL);
        Figures grpc = figures.get(FreshClient.GRPC_JAVA);
        md.append(String.format(Locale.ROOT, "%nlbchannel / grpc-java, medians: wall %.2f×, JVM start → call %.2f×, "
                        + "main() → call %.2f×, CPU time %.2f×, classes %.2f× (goal: at most 0.8× on the wall time).%n",
                lb.wallMillis.median() / grpc.wallMillis.median(), lb.jvmMillis.median() / grpc.jvmMillis.median(),
                lb.mainMillis.median() / grpc.mainMillis.median(), lb.cpuMillis.median() / grpc.cpuMillis.median(),
                lb.classes.median() / grpc.classes.median()));
        if (!loaded.isEmpty()) {
            md.append("\nClasses loaded by package group (one more run each with `-Xlog:class+load`):\n\n");
            for (Map.Entry<FreshClient, ClassLoadCounts> e : loaded.entrySet()) {
                md.append("- ").append(e.getKey().id()).append(", ").append(e.getValue().total()).append(" in all: ");
                StringBuilder groups = new StringBuilder();
                e.getValue().largest(12).forEach((g, n) -> groups.append(groups.isEmpty() ? "" : ", ").append(g).append(' ').append(n));
                md.append(groups).append('\n');
            }
            ClassLoadCounts l = loaded.get(FreshClient.LBCHANNEL);
            ClassLoadCounts g = loaded.get(FreshClient.GRPC_JAVA);
            md.append("- JDK groups lbchannel loads more of: ").append(String.join(", ", l.jdkGroupsBeyond(g))).append('\n');
        }
        return md.toString();
    }
}
