package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.BackendPool;
import dev.lbchannel.testing.ManualResolverProvider;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pick_first and round_robin over several real backends, fed by a resolver the test drives. */
@Timeout(120)
class LoadBalancingTests {

    static final BackoffPolicy FAST_BACKOFF = new BackoffPolicy(Duration.ofMillis(50), 1.6, 0.2,
            Duration.ofMillis(500), Duration.ofSeconds(5));

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private BackendPool backends;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (backends != null) {
            backends.close();
        }
    }

    private LbChannel channel(int size, String policy) {
        backends = new BackendPool(size);
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext()
                .resolverProvider(resolver).defaultLoadBalancingPolicy(policy)
                .connectionBackoff(FAST_BACKOFF).intercept(backends.counter()).build();
        return channel;
    }

    private TestServiceGrpc.TestServiceBlockingStub stub() {
        return TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private void awaitReadySubchannels(int count) {
        channel.getState(true);
        Await.until(count + " READY subchannels", () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == count);
    }

    @Test
    void roundRobinSpreadsEvenlyOverEveryBackend() {
        channel(3, "round_robin");
        resolver.update(backends.ports());
        awaitReadySubchannels(3);
        for (int i = 0; i < 3000; i++) {
            stub().emptyCall(Empty.getDefaultInstance());
        }
        for (int i = 0; i < 3; i++) {
            assertThat(backends.served(i)).as("backend %d", i).isBetween(900, 1100);
        }
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("round_robin");
    }

    @Test
    void pickFirstSendsEverythingToTheFirstReachableBackend() {
        channel(3, "pick_first");
        backends.crash(0);
        resolver.update(backends.ports());
        for (int i = 0; i < 100; i++) {
            stub().emptyCall(Empty.getDefaultInstance());
        }
        assertThat(backends.served(1)).isEqualTo(100);
        assertThat(backends.served(2)).isZero();
    }

    @Test
    void crashedBackendFailsOnlyItsInFlightCallsAndTrafficMovesOn() throws Exception {
        channel(3, "round_robin");
        resolver.update(backends.ports());
        awaitReadySubchannels(3);
        try (LoadGenerator load = new LoadGenerator(channel, 4, true)) {
            Await.until("traffic on every backend", () -> backends.served(0) > 20 && backends.served(1) > 20);
            backends.crash(0);
            Await.until("two READY subchannels", () -> channel.snapshot().subchannels().stream()
                    .filter(s -> s.state() == ConnectivityState.READY).count() == 2);
            backends.resetCounts();
            int before = load.succeeded();
            Await.until("300 more calls", () -> load.succeeded() > before + 300);
            assertThat(load.failures()).as("wait-for-ready calls in flight on the crashed backend at most")
                    .allSatisfy(s -> assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE))
                    .hasSizeLessThanOrEqualTo(4);
        }
        assertThat(backends.served(0)).isZero();
        assertThat(backends.served(1) + backends.served(2)).isGreaterThan(300);
    }

    @Test
    void addingAndRemovingBackendsUnderLoadLosesNoWaitForReadyCall() throws Exception {
        channel(3, "round_robin");
        int[] ports = backends.ports();
        resolver.update(ports[0], ports[1]);
        try (LoadGenerator load = new LoadGenerator(channel, 4, true)) {
            int[][] steps = {{ports[0], ports[1], ports[2]}, {ports[2]}, {ports[1], ports[2]}, {ports[0]}};
            for (int[] step : steps) {
                int before = load.succeeded();
                resolver.update(step);
                Await.until("progress after an update", () -> load.succeeded() > before + 100);
            }
            assertThat(load.failures()).isEmpty();
        }
        assertThat(backends.served(2)).isPositive();
    }

    @Test
    void zeroAddressesFailThenAGoodListRecoversByItself() {
        channel(1, "round_robin");
        resolver.update();
        channel.getState(true);
        Await.until("TRANSIENT_FAILURE", () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);
        assertThatThrownBy(() -> stub().emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        Await.until("the channel asks the resolver again", () -> resolver.refreshes() >= 2);
        resolver.update(backends.ports());
        assertThat(stub().emptyCall(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());
    }

    @Test
    void resolverErrorBeforeAnyResultFailsFailFastCallsWithItWhileWaitForReadyCallsWait() {
        channel(1, "round_robin");
        channel.getState(true);
        resolver.error(Status.UNAVAILABLE.withDescription("name server down"));
        Await.until("TRANSIENT_FAILURE", () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);
        assertThatThrownBy(() -> stub().emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).isEqualTo("name server down"));
        var waiting = TestServiceGrpc.newFutureStub(channel).withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
        resolver.update(backends.ports());
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(20));
    }

    @Test
    void resolverErrorAfterAResultKeepsTheOldAddresses() {
        channel(2, "round_robin");
        resolver.update(backends.ports());
        awaitReadySubchannels(2);
        resolver.error(Status.UNAVAILABLE.withDescription("name server down"));
        for (int i = 0; i < 20; i++) {
            stub().emptyCall(Empty.getDefaultInstance());
        }
        assertThat(backends.served(0) + backends.served(1)).isEqualTo(20);
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void switchingPickFirstToRoundRobinUnderLoadLosesNoCall() throws Exception {
        channel(3, "pick_first");
        var endpoints = ManualResolverProvider.endpoints(backends.ports());
        resolver.update(endpoints, Map.of("loadBalancingConfig", List.of(Map.of("pick_first", Map.of()))));
        try (LoadGenerator load = new LoadGenerator(channel, 4, false)) {
            Await.until("traffic", () -> load.succeeded() > 100);
            assertThat(channel.snapshot().lbPolicy()).isEqualTo("pick_first");
            resolver.update(endpoints, Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))));
            Await.until("round_robin in use", () -> "round_robin".equals(channel.snapshot().lbPolicy()));
            backends.resetCounts();
            int before = load.succeeded();
            Await.until("300 more calls", () -> load.succeeded() > before + 300);
            assertThat(load.failures()).isEmpty();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(backends.served(i)).as("backend %d after the switch", i).isPositive();
        }
        assertThat(channel.snapshot().trace()).extracting(e -> e.description())
                .contains("Load-balancing policy round_robin took over");
    }

    /** Closed-loop unary calls on a few threads until closed; records failures. */
    static final class LoadGenerator implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final List<Status> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger succeeded = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean running = true;

        LoadGenerator(LbChannel channel, int concurrency, boolean waitForReady) {
            for (int i = 0; i < concurrency; i++) {
                Thread thread = new Thread(() -> {
                    var stub = TestServiceGrpc.newBlockingStub(channel);
                    while (running) {
                        var bounded = stub.withDeadlineAfter(20, TimeUnit.SECONDS);
                        try {
                            (waitForReady ? bounded.withWaitForReady() : bounded).emptyCall(Empty.getDefaultInstance());
                            succeeded.incrementAndGet();
                        } catch (StatusRuntimeException e) {
                            failures.add(e.getStatus());
                        }
                    }
                }, "load-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        int succeeded() {
            return succeeded.get();
        }

        List<Status> failures() {
            return failures;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }
    }
}
