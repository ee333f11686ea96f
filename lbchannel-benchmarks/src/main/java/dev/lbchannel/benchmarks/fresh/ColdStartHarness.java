package dev.lbchannel.benchmarks.fresh;

import dev.lbchannel.benchmarks.MachineInfo;
import dev.lbchannel.benchmarks.ReportSections;
import dev.lbchannel.benchmarks.load.ServerProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * {@code --classes}, {@code --jvm-args 'ARGS'} (flags for every probe JVM), {@code --spring-boot}
 * (the two clients inside a Spring Boot application, {@link BootColdStartProbe}, on this JVM's
 * class path, which must then hold Spring Boot: its own section of the report).
 */
public final class ColdStartHarness {

    /** What is compared: a probe and its two client ids, and where the report goes. */
    private record Contest(String section, String title, Class<?> probe, String lbchannel, String grpcJava) {
        List<String> clients() {
            return List.of(lbchannel, grpcJava);
        }
    }

    private static final Contest PLAIN = new Contest("coldstart",
            "Cold start: JVM start to the first completed call (`run-coldstart.sh`)",
            ColdStartProbe.class, FreshClient.LBCHANNEL.id(), FreshClient.GRPC_JAVA.id());
    private static final Contest SPRING_BOOT = new Contest("coldstart-boot",
            "Spring Boot cold start: JVM start to the first completed call (`run-coldstart.sh --spring-boot`)",
            BootColdStartProbe.class, BootColdStartProbe.LBCHANNEL, BootColdStartProbe.GRPC_JAVA);

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
        Contest contest = PLAIN;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-report" -> report = false;
                case "--classes" -> classes = true;
                case "--jvm-args" -> jvmArgs = List.of(args[++i].trim().split("\\s+"));
                case "--spring-boot" -> contest = SPRING_BOOT;
                default -> throw new IllegalArgumentException("Unknown option '" + args[i]
                        + "'; known: --runs N, --out FILE, --no-report, --classes, --jvm-args 'ARGS', --spring-boot");
            }
        }
        String loadBefore = MachineInfo.loadAverage();
        Map<String, Figures> figures;
        Map<String, ClassLoadCounts> loaded = new LinkedHashMap<>();
        try (ServerProcess server = ServerProcess.start(-1, List.of("-Xms256m", "-Xmx256m"))) {
            figures = measure(contest, server.port(), runs, jvmArgs);
            if (classes) {
                for (String client : contest.clients()) {
                    loaded.put(client, logClasses(contest, client, server.port(), jvmArgs));
                }
            }
        }
        String markdown = markdown(contest, runs, jvmArgs, figures, loaded,
                loadBefore + " → " + MachineInfo.loadAverage());
        System.out.println(markdown);
        if (report) {
            ReportSections.replace(out, contest.section(), markdown);
            System.out.println("wrote " + out.toAbsolutePath());
        }
    }

    /** One unmeasured run per client (the server's own first call is nobody's cost), then {@code runs} rounds. */
    private static Map<String, Figures> measure(Contest contest, int port, int runs, List<String> jvmArgs)
            throws Exception {
        Map<String, Figures> figures = new LinkedHashMap<>();
        for (String client : contest.clients()) {
            probe(contest, client, port, jvmArgs);
            figures.put(client, new Figures());
        }
        for (int run = 0; run < runs; run++) {
            // Alternating who goes first keeps drift in the machine's load from favouring one client.
            List<String> order = run % 2 == 0 ? contest.clients() : List.of(contest.grpcJava(), contest.lbchannel());
            for (String client : order) {
                ChildJvm.Answer a = probe(contest, client, port, jvmArgs);
                double jvmToCall = Double.parseDouble(a.words()[0]);
                double mainToCall = jvmToCall - Double.parseDouble(a.words()[1]);
                Figures f = figures.get(client);
                f.wallMillis.add(a.wallNanos() / 1e6);
                f.jvmMillis.add(jvmToCall);
                f.mainMillis.add(mainToCall);
                f.classes.add(Double.parseDouble(a.words()[2]));
                f.cpuMillis.add(Double.parseDouble(a.words()[3]));
                System.out.printf(Locale.ROOT, "run %d %-9s wall %.0f ms, JVM start to call %.0f ms, main to call %.0f ms, "
                        + "%s classes, CPU %s ms%n", run + 1, client, a.wallNanos() / 1e6, jvmToCall, mainToCall,
                        a.words()[2], a.words()[3]);
            }
        }
        return figures;
    }

    /** One more run with {@code -Xlog:class+load}, counted by package group. */
    private static ClassLoadCounts logClasses(Contest contest, String client, int port, List<String> jvmArgs)
            throws Exception {
        Path log = Files.createTempFile("coldstart-" + client, ".log");
        try {
            List<String> logging = new ArrayList<>(jvmArgs);
            logging.add(ClassLoadCounts.logFlag(log));
            probe(contest, client, port, logging);
            return ClassLoadCounts.read(log);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static ChildJvm.Answer probe(Contest contest, String client, int port, List<String> jvmArgs)
            throws Exception {
        return ChildJvm.run(jvmArgs, contest.probe(), List.of(client, Integer.toString(port)));
    }

    private static String markdown(Contest contest, int runs, List<String> jvmArgs, Map<String, Figures> figures,
            Map<String, ClassLoadCounts> loaded, String load) {
        StringBuilder md = new StringBuilder("## ").append(contest.title()).append("\n\n");
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
        for (String client : contest.clients()) {
            Figures f = figures.get(client);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", client,
                    f.wallMillis.median(), f.wallMillis.percentile(90), f.jvmMillis.median(), f.jvmMillis.percentile(90),
                    f.mainMillis.median(), f.cpuMillis.median(), f.classes.median()));
        }
        Figures lb = figures.get(contest.lbchannel());
        Figures grpc = figures.get(contest.grpcJava());
        md.append(String.format(Locale.ROOT, "%nlbchannel / grpc-java, medians: wall %.2f×, JVM start → call %.2f×, "
                        + "main() → call %.2f×, CPU time %.2f×, classes %.2f× (goal: at most 0.8× on the wall time).%n",
                lb.wallMillis.median() / grpc.wallMillis.median(), lb.jvmMillis.median() / grpc.jvmMillis.median(),
                lb.mainMillis.median() / grpc.mainMillis.median(), lb.cpuMillis.median() / grpc.cpuMillis.median(),
                lb.classes.median() / grpc.classes.median()));
        if (!loaded.isEmpty()) {
            md.append("\nClasses loaded by package group (one more run each with `-Xlog:class+load`):\n\n");
            for (Map.Entry<String, ClassLoadCounts> e : loaded.entrySet()) {
                md.append("- ").append(e.getKey()).append(", ").append(e.getValue().total()).append(" in all: ");
                StringBuilder groups = new StringBuilder();
                e.getValue().largest(12).forEach((g, n) -> groups.append(groups.isEmpty() ? "" : ", ").append(g).append(' ').append(n));
                md.append(groups).append('\n');
            }
            ClassLoadCounts l = loaded.get(contest.lbchannel());
            ClassLoadCounts g = loaded.get(contest.grpcJava());
            md.append("- JDK groups lbchannel loads more of: ").append(String.join(", ", l.jdkGroupsBeyond(g))).append('\n');
        }
        return md.toString();
    }
}
