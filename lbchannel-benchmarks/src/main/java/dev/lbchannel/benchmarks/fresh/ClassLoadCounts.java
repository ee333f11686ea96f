package dev.lbchannel.benchmarks.fresh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Classes a probe loaded, counted by package group, from a {@code -Xlog:class+load:file=...:none}
 * log: a group is a class's first three package names ({@code io.netty.handler},
 * {@code java.util.regex}), past grpc-java's relocation prefix for its shaded Netty. Immutable.
 */
final class ClassLoadCounts {

    private static final String SHADED = "io.grpc.netty.shaded.";

    private final Map<String, Integer> byGroup;
    private final int total;

    private ClassLoadCounts(Map<String, Integer> byGroup, int total) {
        this.byGroup = byGroup;
        this.total = total;
    }

    /** The JVM flag that makes a probe write the log this class reads. */
    static String logFlag(Path log) {
        return "-Xlog:class+load=info:file=" + log + ":none";
    }

    static ClassLoadCounts read(Path log) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        int total = 0;
        for (String line : Files.readAllLines(log)) {
            int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            counts.merge(group(line.substring(0, space)), 1, Integer::sum);
            total++;
        }
        return new ClassLoadCounts(counts, total);
    }

    static String group(String className) {
        String prefix = "";
        String name = className;
        if (name.startsWith(SHADED)) {
            prefix = "(shaded) ";
            name = name.substring(SHADED.length());
        }
        int end = -1;
        for (int i = 0; i < 3; i++) {
            int dot = name.indexOf('.', end + 1);
            if (dot < 0) {
                break;
            }
            end = dot;
        }
        return prefix + (end < 0 ? "(default package)" : name.substring(0, end));
    }

    int total() {
        return total;
    }

    int count(String group) {
        return byGroup.getOrDefault(group, 0);
    }

    /** The {@code n} largest groups, largest first. */
    Map<String, Integer> largest(int n) {
        return byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** JDK groups ({@code java.}, {@code javax.}, {@code jdk.}, {@code sun.}) this one loads more of than {@code other}. */
    List<String> jdkGroupsBeyond(ClassLoadCounts other) {
        return byGroup.keySet().stream()
                .filter(g -> g.startsWith("java.") || g.startsWith("javax.") || g.startsWith("jdk.") || g.startsWith("sun."))
                .filter(g -> count(g) > other.count(g))
                .sorted(Comparator.comparingInt((String g) -> other.count(g) - count(g)))
                .map(g -> g + " " + count(g) + " vs " + other.count(g))
                .toList();
    }
}
