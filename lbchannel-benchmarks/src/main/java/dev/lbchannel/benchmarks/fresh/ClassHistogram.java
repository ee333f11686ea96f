package dev.lbchannel.benchmarks.fresh;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * This JVM's live-object histogram (bytes and instances per class, after a full collection), as
 * {@code jcmd GC.class_histogram} prints it, read through the diagnostic-command MBean. Immutable.
 */
final class ClassHistogram {

    private record Row(long instances, long bytes) {
    }

    private final Map<String, Row> rows;

    private ClassHistogram(Map<String, Row> rows) {
        this.rows = rows;
    }

    /** The histogram as {@code jcmd} prints it: kept as text in a file, the "before" costs the heap nothing. */
    static String text() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
    }

    static ClassHistogram parse(String text) {
        Map<String, Row> rows = new HashMap<>();
        for (String line : text.split("\n")) {
            // " 1:   12345   678900  java.lang.String (java.base@17)"
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                rows.put(f[3], new Row(Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        return new ClassHistogram(rows);
    }

    /** The {@code limit} classes whose bytes grew most since {@code before}, per unit of {@code per}, one line each. */
    List<String> growthSince(ClassHistogram before, int limit, int per) {
        List<Map.Entry<String, long[]>> growth = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row old = before.rows.getOrDefault(e.getKey(), new Row(0, 0));
            long bytes = e.getValue().bytes - old.bytes;
            total += bytes;
            growth.add(Map.entry(e.getKey(), new long[] {bytes, e.getValue().instances - old.instances}));
        }
        growth.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "HISTOGRAM growth per unit: %.0f bytes in all", (double) total / per));
        for (Map.Entry<String, long[]> e : growth.subList(0, Math.min(limit, growth.size()))) {
            lines.add(String.format(Locale.ROOT, "HISTOGRAM %8.0f B %6.1f instances  %s",
                    (double) e.getValue()[0] / per, (double) e.getValue()[1] / per, e.getKey()));
        }
        return lines;
    }
}
