package dev.lbchannel.benchmarks;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarizes a JFR recording of the client for the hot-spot hunt: the methods where CPU samples
 * land (self time), the lbchannel methods on the stack of those samples (inclusive time), and the
 * allocation sites, each by the first lbchannel frame that caused them. Entry point:
 * {@code JfrHotSpots RECORDING.jfr [TOP]}. Prints plain text; stateless.
 */
public final class JfrHotSpots {

    private static final String OURS = "dev.lbchannel.";

    private JfrHotSpots() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> allocByOurFrame = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            switch (e.getEventType().getName()) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    self.merge(name(frames.get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (n.startsWith(OURS) && seen.add(n)) {
                            inclusive.merge(n, 1L, Long::sum);
                        }
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    long weight = e.getLong("weight");
                    allocated += weight;
                    String type = e.getClass("objectClass").getName();
                    allocByClass.merge(type + "  at " + name(frames.get(0)), weight, Long::sum);
                    allocByOurFrame.merge(type + "  via " + firstOurs(frames), weight, Long::sum);
                }
                default -> { }
            }
        }
        print("CPU samples by method (self), of " + samples, self, samples, top);
        print("CPU samples with this lbchannel method on the stack (inclusive), of " + samples, inclusive, samples, top);
        print("Allocated bytes (sampled weight) by class and allocating method, of " + allocated, allocByClass, allocated, top);
        print("Allocated bytes by class and the lbchannel frame nearest the allocation, of " + allocated,
                allocByOurFrame, allocated, top);
    }

    private static String firstOurs(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            if (name(f).startsWith(OURS)) {
                return name(f) + ":" + f.getLineNumber();
            }
        }
        return "(no lbchannel frame)";
    }

    private static String name(RecordedFrame frame) {
        RecordedMethod m = frame.getMethod();
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println("\n== " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> System.out.printf("%6.2f%%  %s%n", 100.0 * en.getValue() / Math.max(total, 1), en.getKey()));
    }
}
