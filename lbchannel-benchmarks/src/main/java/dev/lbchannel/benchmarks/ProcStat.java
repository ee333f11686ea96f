package dev.lbchannel.benchmarks;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux CPU accounting from {@code /proc}, in clock ticks ({@link #TICKS_PER_SECOND}): the whole
 * machine's busy time and one process's user plus system time. The harnesses subtract their own
 * and their servers' ticks from the machine's to see what other processes used during a run.
 * Stateless; returns -1 where {@code /proc} is missing, so the harness runs elsewhere unmarked.
 */
public final class ProcStat {

    /** USER_HZ: 100 on every mainstream Linux build. */
    public static final int TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    public static boolean available() {
        return Files.isReadable(Path.of("/proc/stat"));
    }

    /**
     * Non-idle ticks of all CPUs together: user, nice, system, irq, softirq and steal (guest
     * time is already inside user).
     */
    public static long machineBusyTicks() {
        if (!available()) {
            return -1;
        }
        String[] f = firstLine(Path.of("/proc/stat")).trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal guest guest_nice
        return parse(f[1]) + parse(f[2]) + parse(f[3]) + parse(f[6]) + parse(f[7]) + parse(f[8]);
    }

    /** utime plus stime of {@code pid}, all threads, or -1 if it cannot be read. */
    public static long processTicks(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isReadable(stat)) {
            return -1;
        }
        String line = firstLine(stat);
        // The command name (field 2) may contain spaces; fields after its closing paren are fixed.
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return parse(f[11]) + parse(f[12]);
    }

    /**
     * Times each thread of {@code pid} now alive gave up the CPU of their own accord (parked,
     * waited on a lock or a socket): {@code voluntary_ctxt_switches} of
     * {@code /proc/<pid>/task/<tid>/status} by thread id, or {@code null} if they cannot be read.
     * Every hand-off of work to a sleeping thread ends in one, so per call it counts the wake-ups a
     * client costs, a figure other processes on the machine hardly move.
     */
    public static @Nullable Map<Long, Long> voluntarySwitchesByThread(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        Map<Long, Long> counts = new HashMap<>();
        try (var threads = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) threads::iterator) {
                counts.put(Long.parseLong(task.getFileName().toString()), voluntarySwitchesOf(task.resolve("status")));
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return counts;
    }

    /**
     * The switches made between two readings by the threads alive at the second: a thread's
     * count then, minus its count at the first reading if it was alive (a thread id seen with a
     * smaller count is a new thread under a reused id). A thread that ended in between is left
     * out, since its last count is gone: an undercount, never a negative figure, as summing the
     * live threads at each end gave when threads ended inside the window.
     */
    public static long switchesBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            long now = thread.getValue();
            long then = before.getOrDefault(thread.getKey(), 0L);
            sum += now >= then ? now - then : now;
        }
        return sum;
    }

    /** One thread's count; 0 for a thread that ended while the directory was read. */
    private static long voluntarySwitchesOf(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    return parse(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException e) {
            // The thread ended between the listing and the read.
        }
        return 0;
    }

    private static String firstLine(Path path) {
        try {
            List<String> lines = Files.readAllLines(path);
            return lines.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long parse(String field) {
        return Long.parseLong(field);
    }
}
