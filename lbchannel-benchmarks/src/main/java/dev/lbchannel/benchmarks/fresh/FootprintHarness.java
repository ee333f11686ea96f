package dev.lbchannel.benchmarks.fresh;

import dev.lbchannel.benchmarks.MachineInfo;
import dev.lbchannel.benchmarks.ReportSections;
import dev.lbchannel.benchmarks.load.LoadServer;
import dev.lbchannel.benchmarks.load.ServerProcess;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Footprint, side by side: starts grpc-java's server in its own JVM (listening on as many loopback
 * ports as the largest count), then for every count and mode (N idle channels; N channels with one
 * READY connection each; one round_robin channel with N READY connections) runs
 * {@link FootprintProbe} in a fresh JVM per sample and client, and reports the median retained
 * heap per channel or per connection and the threads N channels added. Options: {@code --counts 1,100,1000}, {@code --runs 3},
 * {@code --out FILE} (BENCHMARKS.md), {@code --no-report}, {@code --histogram} (one more
 * connected and one more fan-out run per client at the largest count, printing the classes that
 * grew most).
 */
public final class FootprintHarness {

    private static final String SECTION = "footprint";
    private static final List<String> PROBE_JVM = List.of("-XX:+UseSerialGC", "-Xms512m", "-Xmx512m");
    private static final List<String> MODES = List.of("idle", "connected", "fanout");

    private FootprintHarness() {
    }

    /** One configuration's samples for one client. */
    private record Cell(Samples bytesPerChannel, Samples threadsAdded, Samples threadsOfFirst) {
        Cell() {
            this(new Samples(), new Samples(), new Samples());
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = List.of(1, 100, 1000);
        int runs = 3;
        Path out = Path.of("BENCHMARKS.md");
        boolean report = true;
        boolean histogram = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--counts" -> counts = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-report" -> report = false;
                case "--histogram" -> histogram = true;
                default -> throw new IllegalArgumentException("Unknown option '" + args[i]
                        + "'; known: --counts 1,100,1000, --runs N, --out FILE, --no-report, --histogram");
            }
        }
        String loadBefore = MachineInfo.loadAverage();
        Map<String, Cell> cells;
        if (counts.isEmpty() || counts.stream().anyMatch(count -> count < 1)) {
            throw new IllegalArgumentException("--counts takes positive numbers, like 1,100,1000; got " + counts);
        }
        int largest = counts.stream().max(Integer::compare).orElseThrow();
        // The server holds a listening and an accepted socket per fan-out connection.
        long descriptors = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
        if (2L * largest + 256 > descriptors) {
            throw new IllegalArgumentException("A count of " + largest + " needs about " + (2L * largest + 256)
                    + " file descriptors in the server process; the limit is " + descriptors
                    + ": raise it (ulimit -n) or lower --counts");
        }
        try (ServerProcess server = ServerProcess.start(-1, List.of("-Xms512m", "-Xmx512m",
                "-D" + LoadServer.PORTS_PROPERTY + "=" + largest))) {
            String ports = server.ports().stream().map(String::valueOf).collect(Collectors.joining(","));
            cells = measure(ports, counts, runs);
            if (histogram) {
                for (String mode : List.of("connected", "fanout")) {
                    for (FreshClient client : FreshClient.values()) {
                        System.out.println(client.id() + ", " + largest + (mode.equals("fanout")
                                ? " READY connections in one channel, growth per connection:"
                                : " connected channels, growth per channel:"));
                        ChildJvm.run(PROBE_JVM, FootprintProbe.class,
                                List.of(client.id(), ports, Integer.toString(largest), mode, "histogram"));
                    }
                }
            }
        }
        String markdown = markdown(counts, runs, cells, loadBefore + " → " + MachineInfo.loadAverage());
        System.out.println(markdown);
        if (report) {
            ReportSections.replace(out, SECTION, markdown);
            System.out.println("wrote " + out.toAbsolutePath());
        }
    }

    /** Every count and mode, {@code runs} times per client, alternating which goes first. */
    private static Map<String, Cell> measure(String ports, List<Integer> counts, int runs) throws Exception {
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (int count : counts) {
            for (String mode : MODES) {
                for (int run = 0; run < runs; run++) {
                    List<FreshClient> order = run % 2 == 0 ? List.of(FreshClient.LBCHANNEL, FreshClient.GRPC_JAVA)
                            : List.of(FreshClient.GRPC_JAVA, FreshClient.LBCHANNEL);
                    for (FreshClient client : order) {
                        ChildJvm.Answer a = ChildJvm.run(PROBE_JVM, FootprintProbe.class,
                                List.of(client.id(), ports, Integer.toString(count), mode));
                        Cell cell = cells.computeIfAbsent(key(client, mode, count), k -> new Cell());
                        cell.bytesPerChannel.add(Double.parseDouble(a.words()[0]));
                        cell.threadsOfFirst.add(Double.parseDouble(a.words()[2]) - Double.parseDouble(a.words()[1]));
                        cell.threadsAdded.add(Double.parseDouble(a.words()[3]) - Double.parseDouble(a.words()[2]));
                        System.out.printf(Locale.ROOT, "%-9s %-9s N=%-5d %s B/unit, threads %s -> %s -> %s%n",
                                client.id(), mode, count, a.words()[0], a.words()[1], a.words()[2], a.words()[3]);
                    }
                }
            }
        }
        return cells;
    }

    private static String key(FreshClient client, String mode, int count) {
        return client.id() + " " + mode + " " + count;
    }

    private static String markdown(List<Integer> counts, int runs, Map<String, Cell> cells, String load) {
        StringBuilder md = new StringBuilder(
                "## Footprint: retained heap and threads per channel and per connection (`run-footprint.sh`)\n\n");
        md.append("Measured ").append(LocalDate.now()).append(" on ").append(MachineInfo.cpu()).append(", Linux ")
                .append(MachineInfo.kernel()).append(", Java ").append(System.getProperty("java.runtime.version"))
                .append("; each probe a fresh JVM with `").append(String.join(" ", PROBE_JVM)).append("`, ")
                .append(runs).append(" runs per cell, medians. Retained heap: used heap after full collections, "
                        + "after N channels (or N connections) minus before them, divided by N (Netty's direct buffers "
                        + "are off-heap and not counted). Idle: N channels built and never used; connected: N "
                        + "channels with one READY connection each; fan-out: one round_robin channel with N READY "
                        + "connections, to N ports of one server process. Threads: what the first channel started (shared event loops, executors) "
                        + "and what N more added. Machine load (1-minute average, start → end): " + load
                        + "; heap figures do not depend on it.\n\n");
        md.append("| N | idle: lbchannel (B/channel) | idle: grpc-java | ratio | connected: lbchannel (B/channel) "
                + "| connected: grpc-java | ratio | fan-out: lbchannel (B/connection) | fan-out: grpc-java | ratio "
                + "| threads, first channel: lbchannel / grpc-java | threads added by N more channels |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (int count : counts) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(count));
            for (String mode : MODES) {
                double lb = cells.get(key(FreshClient.LBCHANNEL, mode, count)).bytesPerChannel.median();
                double grpc = cells.get(key(FreshClient.GRPC_JAVA, mode, count)).bytesPerChannel.median();
                row.add(String.format(Locale.ROOT, "%,.0f", lb));
                row.add(String.format(Locale.ROOT, "%,.0f", grpc));
                row.add(String.format(Locale.ROOT, "%.2f×", lb / grpc));
            }
            Cell lb = cells.get(key(FreshClient.LBCHANNEL, "connected", count));
            Cell grpc = cells.get(key(FreshClient.GRPC_JAVA, "connected", count));
            row.add(String.format(Locale.ROOT, "%.0f / %.0f", lb.threadsOfFirst.median(), grpc.threadsOfFirst.median()));
            row.add(String.format(Locale.ROOT, "%.0f / %.0f", lb.threadsAdded.median(), grpc.threadsAdded.median()));
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append("\nGoal (issue 18): per connection at most 0.5× grpc-java's; a channel adds no thread of its own "
                + "beyond the shared event loops.\n");
        return md.toString();
    }
}
