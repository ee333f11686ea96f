package dev.lbchannel.benchmarks.fresh;

import dev.lbchannel.benchmarks.load.LoadServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;

import java.lang.management.ManagementFactory;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The footprint child JVM. Arguments: client, the server's ports (comma-separated), a count N,
 * a mode, and optionally {@code histogram}. Modes: {@code idle} (N channels built, never used),
 * {@code connected} (N channels, one unary call each, so each holds one READY connection) and
 * {@code fanout} (one round_robin channel over N of the server's ports, called until every one
 * of its N connections has answered, so the share is per READY connection inside a channel).
 * One channel of the same client is built and called first and kept, so classes, shared event
 * loops and allocator caches are in the baseline rather than in the first channel's share. Prints
 * {@code RESULT <retained bytes per unit> <threads at start> <threads after the first channel> <threads after N more>};
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
        List<Integer> ports = Arrays.stream(args[1].split(",")).map(Integer::valueOf).toList();
        String target = "127.0.0.1:" + ports.get(0);
        int n = Integer.parseInt(args[2]);
        String mode = args[3];
        if (!List.of("idle", "connected", "fanout").contains(mode)) {
            throw new IllegalArgumentException("Unknown mode '" + mode + "'; known: idle, connected, fanout");
        }
        if (mode.equals("fanout") && ports.size() < n) {
            throw new IllegalArgumentException("fanout over " + n + " connections needs as many server ports, got "
                    + ports.size() + "; start the server with -D" + LoadServer.PORTS_PROPERTY + "=" + n);
        }
        boolean histogram = args.length > 4 && args[4].equals("histogram");

        int threadsAtStart = ManagementFactory.getThreadMXBean().getThreadCount();
        ManagedChannel first;
        if (mode.equals("fanout")) {
            // The same kind of channel, so that round_robin's and the resolver's one-time costs
            // are in the baseline too.
            first = client.openFanOut(ports.subList(0, 1));
            connectEvery(first, 1);
        } else {
            first = client.open(target);
            TestServiceGrpc.newBlockingStub(first).unaryCall(REQUEST);
        }
        List<ManagedChannel> channels = new ArrayList<>(n + 1);
        channels.add(first);
        long before = settledHeap();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        // The histogram before goes to a file, so that it is not part of the heap measured after.
        Path histogramBefore = histogram ? Files.writeString(Files.createTempFile("footprint-histogram", ".txt"),
                ClassHistogram.text()) : null;
        if (mode.equals("fanout")) {
            ManagedChannel channel = client.openFanOut(ports.subList(0, n));
            connectEvery(channel, n);
            channels.add(channel);
        } else {
            for (int i = 0; i < n; i++) {
                ManagedChannel channel = client.open(target);
                if (mode.equals("connected")) {
                    TestServiceGrpc.newBlockingStub(channel).unaryCall(REQUEST);
                }
                channels.add(channel);
            }
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
     * Calls through {@code channel} until calls have answered from {@code n} distinct server
     * addresses, so that round_robin holds n READY connections; bounded at two minutes.
     */
    private static void connectEvery(ManagedChannel channel, int n) {
        Set<SocketAddress> answered = new HashSet<>();
        ClientInterceptor remoteAddress = new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        ClientCall<Q, R> call = delegate();
                        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                                if (remote != null) {
                                    synchronized (answered) {
                                        answered.add(remote);
                                    }
                                }
                                super.onClose(status, trailers);
                            }
                        }, headers);
                    }
                };
            }
        };
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channel)
                .withInterceptors(remoteAddress);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            stub.unaryCall(REQUEST);
            synchronized (answered) {
                if (answered.size() >= n) {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Only " + answered.size() + " of " + n
                        + " connections answered within two minutes");
            }
        }
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
