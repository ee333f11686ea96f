package dev.lbchannel.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a report was measured: CPU model and count from {@code /proc/cpuinfo}, kernel, JVM,
 * garbage collector, and the CPUs this JVM may use. Stateless.
 */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static String cpu() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        int cores = Runtime.getRuntime().availableProcessors();
        if (!Files.isReadable(cpuinfo)) {
            return cores + " CPUs available to the client JVM";
        }
        try {
            List<String> lines = Files.readAllLines(cpuinfo);
            long processors = lines.stream().filter(l -> l.startsWith("processor")).count();
            String model = field(lines, "model name");
            String mhz = field(lines, "cpu MHz");
            return processors + " × " + model + (mhz.isEmpty() ? "" : " (" + mhz + " MHz)");
        } catch (IOException e) {
            return cores + " CPUs available to the client JVM";
        }
    }

    public static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.name") + " " + System.getProperty("os.version");
        }
    }

    public static String jvm() {
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + "), collectors: " + gcs
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    public static String clientJvmArgs() {
        return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The 1-minute load average from {@code /proc/loadavg}, e.g. {@code 3.41}, or {@code unknown}: how busy a shared machine was. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The CPUs this process may run on, as the kernel lists them, e.g. {@code 0} or {@code 0-1}. */
    public static String allowedCpus() {
        Path status = Path.of("/proc/self/status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux: say so below.
        }
        return "unknown";
    }

    private static String field(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "";
    }
}
