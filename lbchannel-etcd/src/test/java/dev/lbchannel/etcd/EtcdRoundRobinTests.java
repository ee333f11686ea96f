package dev.lbchannel.etcd;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.etcd.testing.Etcd;
import dev.lbchannel.testing.TcpProxy;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: grpc-java backends on loopback register in a real etcd, and an lbchannel channel
 * with {@code round_robin} over {@code etcd:///} carries a steady load of 200 calls a second
 * while backends come and go, leases end, and etcd goes away and comes back. No call may fail.
 */
@Timeout(120)
class EtcdRoundRobinTests {

    private static final int CALLS_PER_SECOND = 200;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration LONG_LEASE = Duration.ofSeconds(120);

    private Etcd etcd;
    private final List<TestBackend> backends = new ArrayList<>();
    private final ServedByCounter served = new ServedByCounter();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private LbChannel channel;

    @BeforeEach
    void start() {
        etcd = Etcd.start();
        for (int i = 0; i < 4; i++) {
            backends.add(TestBackend.plaintext());
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.forEach(TestBackend::close);
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void scaleUpReachesNewBackendsWithinTwoSecondsAndScaleDownByRevokingLeasesFailsNoCall() {
        long[] leases = new long[4];
        for (int i = 0; i < 2; i++) {
            leases[i] = register(i, LONG_LEASE);
        }
        SteadyLoad load = loadOn(etcd.endpoint());
        awaitServing(0, 1);

        long putAt = System.nanoTime();
        leases[2] = register(2, LONG_LEASE);
        leases[3] = register(3, LONG_LEASE);
        Await.until("the new backends receive calls within 2 s of the puts", Duration.ofSeconds(2),
                () -> servedBy(2) > 0 && servedBy(3) > 0);
        long reachedMillis = (System.nanoTime() - putAt) / 1_000_000;
        System.out.printf("scale up 2 -> 4: both new backends served calls %d ms after the puts%n", reachedMillis);

        etcd.revokeLease(leases[2]);
        etcd.revokeLease(leases[3]);
        awaitEndpoints(2);
        // Deregistered first, then stopped, as a well-behaved service scales down.
        backends.get(2).stop();
        backends.get(3).stop();
        served.reset();
        int before = load.started();
        Await.until("another 200 calls", () -> load.started() >= before + 200);
        load.stopAndAssertNoFailure("scale up and down");

        assertThat(servedBy(2) + servedBy(3)).as("calls to revoked backends after the update").isZero();
        assertThat(servedBy(0)).isPositive();
        assertThat(servedBy(1)).isPositive();
        assertThat(reachedMillis).as("ms from the puts to calls on both new backends").isLessThan(2000);
    }

    @Test
    void anExpiredLeaseTakesItsBackendOutOfRotation() {
        register(0, LONG_LEASE);
        register(1, LONG_LEASE);
        register(2, Duration.ofSeconds(2)); // never kept alive
        SteadyLoad load = loadOn(etcd.endpoint());
        awaitServing(0, 1, 2);

        awaitEndpoints(2);
        settle(load);
        int before = load.started();
        Await.until("another 200 calls", () -> load.started() >= before + 200);
        load.stopAndAssertNoFailure("lease expiry");

        assertThat(servedBy(2)).as("calls to the backend whose lease expired").isZero();
    }

    @Test
    void etcdKilledForTenSecondsKeepsTheEndpointsAndChangesAfterItsRestartArrive() {
        register(0, null);
        register(1, null);
        SteadyLoad load = loadOn(etcd.endpoint());
        awaitServing(0, 1);

        etcd.kill();
        Await.until("the resolver reports etcd unreachable", () -> channel.snapshot().resolution().errors() > 0);
        awaitClock(System.nanoTime() + OUTAGE.toNanos());
        assertThat(channel.snapshot().resolution().endpoints()).as("endpoints kept while etcd is down").isEqualTo(2);
        served.reset();
        Await.until("both backends still serve", () -> servedBy(0) > 0 && servedBy(1) > 0);
        etcd.restart();
        register(2, null);

        Await.until("the backend registered after the restart receives calls", Duration.ofSeconds(15),
                () -> servedBy(2) > 0);
        load.stopAndAssertNoFailure("etcd killed for 10 s");
        assertThat(channel.snapshot().state()).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void changesAndACompactionWhileEtcdIsUnreachableAreSeenWhenItIsBack() throws Exception {
        TcpProxy gate = new TcpProxy(etcd.address());
        closeables.add(gate);
        register(0, null);
        register(1, null);
        SteadyLoad load = loadOn("127.0.0.1:" + gate.port());
        awaitServing(0, 1);

        gate.refuse();
        Await.until("the resolver reports etcd unreachable", () -> channel.snapshot().resolution().errors() > 0);
        long cutAt = System.nanoTime();
        register(2, null);
        register(3, null);
        etcd.delete("scale/0");
        etcd.compact(etcd.revision());
        awaitClock(cutAt + OUTAGE.toNanos());
        assertThat(channel.snapshot().resolution().endpoints()).as("endpoints kept while etcd is unreachable").isEqualTo(2);
        gate.resume();

        awaitEndpoints(3);
        Await.until("the backends added meanwhile receive calls", () -> servedBy(2) > 0 && servedBy(3) > 0);
        settle(load);
        int before = load.started();
        Await.until("another 200 calls", () -> load.started() >= before + 200);
        load.stopAndAssertNoFailure("etcd unreachable for 10 s with a compaction");
        assertThat(servedBy(0)).as("calls to the backend deleted meanwhile, once the update is in").isZero();
        assertThat(channel.snapshot().resolution().resolver()).containsEntry("compactions", 1L);
    }

    /** Registers backend {@code i} under {@code scale/i}, with a lease of {@code ttl} unless null. */
    private long register(int i, Duration ttl) {
        long lease = ttl == null ? 0 : etcd.grantLease(ttl);
        etcd.register("scale/" + i, "127.0.0.1:" + backends.get(i).port(), lease);
        return lease;
    }

    private SteadyLoad loadOn(String etcdEndpoint) {
        EtcdResolverProvider provider = EtcdResolverProvider.builder()
                .endpoints(etcdEndpoint)
                .backoff(EtcdServerTestCase.FAST_BACKOFF)
                .build();
        channel = LbChannelBuilder.forTarget("etcd:///scale")
                .resolverProvider(provider)
                .usePlaintext()
                .defaultLoadBalancingPolicy("round_robin")
                .intercept(served)
                .build();
        channel.getState(true);
        Await.until("the channel is READY", () -> channel.getState(false) == ConnectivityState.READY);
        SteadyLoad load = new SteadyLoad(channel, CALLS_PER_SECOND);
        closeables.add(load);
        return load;
    }

    private void awaitServing(int... indexes) {
        Await.until("backends " + java.util.Arrays.toString(indexes) + " serve calls", () -> {
            for (int i : indexes) {
                if (servedBy(i) == 0) {
                    return false;
                }
            }
            return true;
        });
    }

    private void awaitEndpoints(int count) {
        Await.until(count + " endpoints in the channel; " + channel.snapshot().resolution(),
                () -> channel.snapshot().resolution().endpoints() == count);
    }

    /**
     * Lets the calls picked before the last update end (they take a millisecond or so; 50 more
     * calls take 250 ms), then resets the counts, so that what is counted next was picked after it.
     */
    private void settle(SteadyLoad load) {
        int before = load.started();
        Await.until("50 more calls", () -> load.started() >= before + 50);
        served.reset();
    }

    private int servedBy(int i) {
        return served.served("127.0.0.1:" + backends.get(i).port());
    }

    /** Waits, bounded, until {@link System#nanoTime()} passes {@code nanoTime}: the outage's length. */
    private static void awaitClock(long nanoTime) {
        Await.until("the clock passes a deadline", Duration.ofSeconds(30), () -> System.nanoTime() - nanoTime >= 0);
    }
}
