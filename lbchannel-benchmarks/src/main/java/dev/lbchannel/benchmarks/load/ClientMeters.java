package dev.lbchannel.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * This JVM's own costs: process CPU time (every thread, JIT and GC included, as an application
 * pays it) and bytes allocated by all threads, from HotSpot's per-thread counters. Read by the
 * harness thread only.
 *
 * <p>A thread that ends between two snapshots takes its bytes with it, so {@link #allocatedSince}
 * can undercount; the cached pools involved keep their threads for a minute, longer than a run.
 */
final class ClientMeters {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    ClientMeters() {
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("This JVM cannot count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    long processCpuNanos() {
        return os.getProcessCpuTime();
    }

    /** Bytes allocated so far by each live thread, by thread id. */
    Map<Long, Long> allocatedByThread() {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    /** Bytes allocated since {@code before} by threads alive now; new threads count in full. */
    long allocatedSince(Map<Long, Long> before) {
        long total = 0;
        for (Map.Entry<Long, Long> now : allocatedByThread().entrySet()) {
            total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }
}
