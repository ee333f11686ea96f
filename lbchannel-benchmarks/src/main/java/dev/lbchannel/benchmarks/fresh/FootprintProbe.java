package dev.lbchannel.benchmarks.fresh;

import io.grpc.ManagedChannel;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The footprint child JVM. Arguments: client, server port, channel count N, {@code idle} (built,
 * never used) or {@code connected} (one unary call each, so each holds one READY connection),
 * and optionally {@code histogram}. One channel of the same client is built and called first and
 * kept, so classes, shared event loops and allocator caches are in the baseline rather than in
 * the first channel's share. Prints
 * {@code RESULT <retained bytes per channel> <threads at start> <threads after the first channel> <threads after N more>};
 * with {@code histogram}, the classes whose retained bytes grew most, before it. Heap is measured
 * as used heap after full collections until it stops shrinking; run it with
 * {@code -XX:+UseSerialGC} so that a collection is a full, compacting one.
 */
public final class FootprintProbe {

    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(16).build();

    private FootprintProbe() {
    }

    public static void main(String[] args) throws Exception {
        FreshClient client = FreshClient.byId(args[0]);
        String target = "127.0.0.1:" + Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        boolean connected = switch (args[3]) {
            case "idle" -> false;
            case "connected" -> true;
            default -> throw new IllegalArgumentException("Unknown mode '" + args[3] + "'; known: idle, connected");
        };
        boolean histogram = args.length > 4 && args[4].equals("histogram");

        int threadsAtStart = ManagementFactory.getThreadMXBean().getThreadCount();
        ManagedChannel first = client.open(target);
        TestServiceGrpc.newBlockingStub(first).unaryCall(REQUEST);
        List<ManagedChannel> channels = new ArrayList<>(n + 1);
        channels.add(first);
        long before = settledHeap();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        // The histogram before goes to a file, so that it is not part of the heap measured after.
        Path histogramBefore = histogram ? Files.writeString(Files.createTempFile("footprint-histogram", ".txt"),
                ClassHistogram.text()) : null;
        for (int i = 0; i < n; i++) {
            ManagedChannel channel = client.open(target);
            if (connected) {
                TestServiceGrpc.newBlockingStub(channel).unaryCall(REQUEST);
            }
            channels.add(channel);
        }
        long after = settledHeap();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        if (histogramBefore != null) {
            ClassHistogram now = ClassHistogram.parse(ClassHistogram.text());
            for (String line : now.growthSince(ClassHistogram.parse(Files.readString(histogramBefore)), 60, n)) {
                System.out.println(line);
            }
            Files.delete(histogramBefore);
            Thread.getAllStackTraces().keySet().forEach(t -> System.out.println("THREAD " + t.getName()));
        }
        System.out.println(ChildJvm.RESULT_PREFIX + (after - before) / n + " " + threadsAtStart + " " + threadsBefore
                + " " + threadsAfter + " " + channels.size());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /**
     * Used heap after full collections, once two readings 200 ms apart agree: what the first call
     * left behind for a moment (a stream finishing on the event loop, a pool thread's last task)
     * must be gone before the baseline, or a single channel's share comes out negative. Bounded
     * at about 4 s.
     */
    static long settledHeap() throws InterruptedException {
        long last = usedHeapAfterGc();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(200);
            long now = usedHeapAfterGc();
            if (Math.abs(now - last) < 512) {
                return Math.min(now, last);
            }
            last = now;
        }
        return last;
    }

    /** Used heap after full collections, repeated until it stops shrinking (finalizers and reference queues settle). */
    static long usedHeapAfterGc() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= previous - 256) {
                return Math.min(used, previous);
            }
            previous = used;
            Thread.sleep(50); // lets cleaner and reference handler threads run between collections
        }
        return previous;
    }
}
