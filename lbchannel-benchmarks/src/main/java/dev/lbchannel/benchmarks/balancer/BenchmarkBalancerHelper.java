package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The channel as a benchmarked balancer sees it: a real {@link Serializer} (an uncaught task
 * exception fails the run), {@link InertSubchannel}s, the last published picker, and counts of
 * the subchannel work each update causes. A benchmark calls the balancer only through
 * {@link #run}, so every balancer call is on the serializer as in the channel.
 */
final class BenchmarkBalancerHelper implements BalancerHelper {

    private final Serializer serializer = new Serializer((thread, e) -> {
        throw new AssertionError("Balancer task failed", e);
    });
    private final List<InertSubchannel> created = new ArrayList<>();
    private @Nullable Picker picker;
    private @Nullable ConnectivityState state;
    private long creations;
    private long shutdowns;

    /** Tasks handed to {@link #run}, and the last of them that has run. */
    private long submitted;
    private volatile long completed;

    /**
     * Runs {@code task} on the serializer and returns when it has run: the serializer drains on
     * the caller's thread unless a balancer's timer task is draining it right now, and then this
     * waits for that thread to run the task too.
     */
    void run(Runnable task) {
        long ticket = ++submitted;
        serializer.execute(() -> {
            task.run();
            completed = ticket;
        });
        while (completed < ticket) {
            Thread.onSpinWait();
        }
    }

    /** Hands {@code resolved} to {@code balancer} on the serializer; fails unless it is accepted. */
    void accept(Balancer balancer, ResolvedEndpoints resolved) {
        run(() -> {
            Status status = balancer.acceptResolvedEndpoints(resolved);
            if (!status.isOk()) {
                throw new IllegalStateException("Update rejected: " + status);
            }
        });
    }

    /**
     * Reports every subchannel created since the last call READY, as if all had connected, and
     * forgets them, so a long run holds no list of its own.
     */
    void allReady() {
        run(() -> {
            created.forEach(InertSubchannel::reportReady);
            created.clear();
        });
    }

    /** Forgets the subchannels created since the last call without reporting them, so a long run holds none. */
    void forgetCreated() {
        run(created::clear);
    }

    Picker picker() {
        if (picker == null) {
            throw new IllegalStateException("The balancer published no picker");
        }
        return picker;
    }

    @Nullable ConnectivityState state() {
        return state;
    }

    long creations() {
        return creations;
    }

    long shutdowns() {
        return shutdowns;
    }

    void countShutdown() {
        shutdowns++;
    }

    /** {@code count} one-address endpoints on distinct loopback ports, from {@code firstPort}. */
    static List<Endpoint> endpoints(int count, int firstPort) {
        List<Endpoint> endpoints = new ArrayList<>(count);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < count; i++) {
            // Two loopback hosts keep 10,000 endpoints within the port range.
            InetAddress host = i % 2 == 0 ? loopback : ipv4(127, 0, 0, 2);
            endpoints.add(Endpoint.of(new InetSocketAddress(host, firstPort + i / 2)));
        }
        return endpoints;
    }

    /**
     * {@code count} one-address endpoints, each on its own IPv4 address in 10.0.0.0/8 from
     * {@code 10.<firstBlock>.0.0} on, so lists of 100,000 and more fit (65,536 per block).
     */
    static List<Endpoint> distinctEndpoints(int count, int firstBlock, int port) {
        if (firstBlock + ((count - 1) >> 16) > 255) {
            throw new IllegalArgumentException(count + " endpoints do not fit from block " + firstBlock);
        }
        List<Endpoint> endpoints = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            InetAddress host = ipv4(10, firstBlock + (i >> 16), (i >> 8) & 0xff, i & 0xff);
            endpoints.add(Endpoint.of(new InetSocketAddress(host, port)));
        }
        return endpoints;
    }

    static ResolvedEndpoints resolved(List<Endpoint> endpoints) {
        return new ResolvedEndpoints(endpoints, null, Attributes.EMPTY);
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Health checking has nothing to do here: the subchannels never connect. */
    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        return createSubchannel(endpoint);
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        serializer.assertInContext();
        creations++;
        InertSubchannel subchannel = new InertSubchannel(this, endpoint);
        created.add(subchannel);
        return subchannel;
    }

    @Override
    public void updateState(ConnectivityState newState, Picker newPicker) {
        serializer.assertInContext();
        state = newState;
        picker = newPicker;
    }

    @Override
    public void refreshNameResolution() {
    }

    @Override
    public String authority() {
        return "benchmark.example:443";
    }

    @Override
    public Serializer serializer() {
        return serializer;
    }

    /** Balancers under benchmark set no timers; a real scheduler keeps the contract anyway. */
    @Override
    public ScheduledExecutorService scheduler() {
        return SCHEDULER;
    }

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "benchmark-balancer-timer");
        t.setDaemon(true);
        return t;
    });
}
