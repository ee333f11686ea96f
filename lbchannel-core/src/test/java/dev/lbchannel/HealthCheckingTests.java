package dev.lbchannel;

import dev.lbchannel.LoadBalancingTests.LoadGenerator;
import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.HealthBackends;
import dev.lbchannel.testing.ManualResolverProvider;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client-side health checking (gRFC A17) end to end: grpc-java backends on loopback whose health
 * grpc-java's {@code HealthStatusManager} (or a test's own health service) reports, and channels
 * whose service config names a health-check service.
 */
@Timeout(120)
class HealthCheckingTests {

    private static final String SERVICE = "grpc.testing.TestService";
    private static final Map<String, ?> ROUND_ROBIN = Map.of(
            "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
            "healthCheckConfig", Map.of("serviceName", SERVICE));
    /** No jitter, so that the health stream's backoff has exact lower bounds: 100 ms, 200 ms, 400 ms. */
    private static final BackoffPolicy BACKOFF = new BackoffPolicy(Duration.ofMillis(100), 2, 0,
            Duration.ofSeconds(2), Duration.ofSeconds(5));

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private HealthBackends backends;
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

    private void start(HealthBackends started, Map<String, ?> serviceConfig) {
        backends = started;
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .connectionBackoff(BACKOFF).intercept(backends.counter()).build();
        resolver.update(ManualResolverProvider.endpoints(backends.ports()), serviceConfig);
        channel.getState(true);
    }

    private SubchannelSnapshot subchannel(int backend) {
        String address = "127.0.0.1:" + backends.port(backend);
        return channel.snapshot().subchannels().stream().filter(s -> s.addresses().contains(address))
                .findFirst().orElseThrow();
    }

    private void awaitHealth(int backend, SubchannelHealth.State state) {
        Await.until("backend " + backend + " " + state, () -> channel.snapshot().subchannels().stream()
                .anyMatch(s -> s.addresses().contains("127.0.0.1:" + backends.port(backend))
                        && s.health().state() == state));
    }

    private void callsUntil(int count) {
        var stub = TestServiceGrpc.newBlockingStub(channel);
        for (int i = 0; i < count; i++) {
            stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        }
    }

    @Test
    void notServingBackendStopsGettingCallsWithinASecondWithoutAFailedCallAndGetsItsShareBack() throws Exception {
        start(HealthBackends.withHealthStatusManagers(3), ROUND_ROBIN);
        for (int i = 0; i < 3; i++) {
            backends.setStatus(i, SERVICE, ServingStatus.SERVING);
            awaitHealth(i, SubchannelHealth.State.SERVING);
        }
        long flipped;
        try (LoadGenerator load = new LoadGenerator(channel, 4, false)) {
            Await.until("traffic on every backend",
                    () -> backends.served(0) > 50 && backends.served(1) > 50 && backends.served(2) > 50);
            flipped = System.nanoTime();
            backends.setStatus(1, SERVICE, ServingStatus.NOT_SERVING);
            Await.until("backend 1 seen unhealthy", Duration.ofSeconds(1),
                    () -> subchannel(1).health().state() == SubchannelHealth.State.NOT_SERVING);
            int callsWhenSeen = backends.calls(1);
            int before = load.succeeded();
            Await.until("600 more calls", () -> load.succeeded() > before + 600);
            assertThat(backends.calls(1) - callsWhenSeen).as("calls to the unhealthy backend: at most the 4 in flight")
                    .isLessThanOrEqualTo(4);
            assertThat(backends.lastCallNanos(1) - flipped).as("its last call began within 1 s of the flip")
                    .isLessThan(TimeUnit.SECONDS.toNanos(1));
            SubchannelSnapshot unhealthy = subchannel(1);
            assertThat(unhealthy.state()).as("the connection stays up").isEqualTo(ConnectivityState.READY);
            assertThat(unhealthy.connections().attemptsSucceeded()).isEqualTo(1);
            assertThat(unhealthy.health().description()).isEqualTo(
                    "Health service answered NOT_SERVING for '" + SERVICE + "'");

            backends.setStatus(1, SERVICE, ServingStatus.SERVING);
            awaitHealth(1, SubchannelHealth.State.SERVING);
            backends.resetCounts();
            int restored = load.succeeded();
            Await.until("900 more calls", () -> load.succeeded() > restored + 900);
            assertThat(load.failures()).as("fail-fast calls that failed").isEmpty();
        }
        int total = backends.served(0) + backends.served(1) + backends.served(2);
        assertThat(backends.served(1)).as("restored share of %d calls", total).isBetween(total / 4, total * 5 / 12);
    }

    @Test
    void backendWithoutTheHealthServiceIsUsedAndTheCheckIsOffForItLoggedOnce() {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.lbchannel.health.HealthWatcher");
        logger.addHandler(handler);
        try {
            start(new HealthBackends(List.of(HealthBackends.AUTO, HealthBackends.NONE, HealthBackends.AUTO)),
                    ROUND_ROBIN);
            backends.setStatus(0, SERVICE, ServingStatus.SERVING);
            backends.setStatus(2, SERVICE, ServingStatus.SERVING);
            awaitHealth(1, SubchannelHealth.State.UNIMPLEMENTED);
            awaitHealth(0, SubchannelHealth.State.SERVING);
            awaitHealth(2, SubchannelHealth.State.SERVING);

            callsUntil(300);

            assertThat(backends.served(1)).isBetween(75, 125);
            SubchannelSnapshot unchecked = subchannel(1);
            assertThat(unchecked.sockets()).singleElement().satisfies(socket ->
                    assertThat(socket.stats().streamsStarted()).as("the calls and one Watch, not retried")
                            .isEqualTo(backends.served(1) + 1));
            assertThat(unchecked.trace()).filteredOn(e -> e.description().startsWith("Health check UNIMPLEMENTED"))
                    .hasSize(1);
            assertThat(logged).filteredOn(r -> r.getMessage().contains("127.0.0.1:" + backends.port(1)))
                    .singleElement().satisfies(r -> assertThat(r.getMessage())
                            .contains("does not implement grpc.health.v1.Health"));
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void healthStreamBrokenByTheServerRestartsWithBackoffWhileTheConnectionStaysUp() {
        BreakingHealthService breaking = new BreakingHealthService();
        start(new HealthBackends(List.of(HealthBackends.AUTO, breaking)), ROUND_ROBIN);
        backends.setStatus(0, SERVICE, ServingStatus.SERVING);
        awaitHealth(0, SubchannelHealth.State.SERVING);
        Await.until("four Watch calls", () -> breaking.starts.size() >= 4);

        callsUntil(100);
        assertThat(backends.served(1)).as("calls while its health stream fails").isZero();
        assertThat(subchannel(1).health().state()).isEqualTo(SubchannelHealth.State.STREAM_FAILED);
        assertThat(subchannel(1).health().description()).isEqualTo(
                "Health-check stream for '" + SERVICE + "' failed: UNAVAILABLE health service restarting");
        List<Long> starts = List.copyOf(breaking.starts);
        for (int i = 1; i < 4; i++) {
            long backoff = TimeUnit.MILLISECONDS.toNanos(100L << (i - 1));
            assertThat(starts.get(i) - starts.get(i - 1)).as("wait before restart %d", i)
                    .isGreaterThanOrEqualTo(backoff);
        }

        breaking.healthy = true;
        awaitHealth(1, SubchannelHealth.State.SERVING);
        assertThat(subchannel(1).connections().attemptsSucceeded()).as("one connection throughout").isEqualTo(1);
        backends.resetCounts();
        callsUntil(100);
        assertThat(backends.served(1)).isBetween(40, 60);
    }

    @Test
    void pickFirstIgnoresHealthAsGrpcDoes() {
        start(HealthBackends.withHealthStatusManagers(2), Map.of(
                "loadBalancingConfig", List.of(Map.of("pick_first", Map.of())),
                "healthCheckConfig", Map.of("serviceName", SERVICE)));
        backends.setStatus(0, SERVICE, ServingStatus.NOT_SERVING);
        backends.setStatus(1, SERVICE, ServingStatus.SERVING);

        callsUntil(50);

        assertThat(backends.served(0)).isEqualTo(50);
        assertThat(backends.watches(0)).isZero();
        assertThat(subchannel(0).health()).isEqualTo(SubchannelHealth.NOT_CHECKED);
    }

    @Test
    void withoutHealthCheckConfigRoundRobinUsesNotServingBackends() {
        start(HealthBackends.withHealthStatusManagers(2),
                Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))));
        backends.setStatus(0, SERVICE, ServingStatus.NOT_SERVING);
        Await.until("two READY subchannels", () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == 2);

        callsUntil(100);

        assertThat(backends.served(0)).isBetween(40, 60);
        assertThat(backends.watches(0)).isZero();
    }

    @Test
    void aServiceConfigWithoutHealthCheckConfigTurnsTheCheckOffOnLiveSubchannels() {
        start(HealthBackends.withHealthStatusManagers(2), ROUND_ROBIN);
        backends.setStatus(0, SERVICE, ServingStatus.NOT_SERVING);
        backends.setStatus(1, SERVICE, ServingStatus.SERVING);
        awaitHealth(0, SubchannelHealth.State.NOT_SERVING);
        awaitHealth(1, SubchannelHealth.State.SERVING);
        callsUntil(20);
        assertThat(backends.served(0)).isZero();
        long subchannelId = subchannel(0).id();

        resolver.update(ManualResolverProvider.endpoints(backends.ports()),
                Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))));
        awaitHealth(0, SubchannelHealth.State.NOT_CHECKED);
        backends.resetCounts();
        callsUntil(20);

        assertThat(backends.served(0)).isBetween(8, 12);
        assertThat(subchannel(0).id()).as("the same subchannel, not a new one").isEqualTo(subchannelId);
        assertThat(channel.snapshot().trace()).noneSatisfy(e -> assertThat(e.description()).contains("not acted on"));
    }

    /** Fails every Watch call with UNAVAILABLE until told it is healthy, then answers SERVING; notes when each began. */
    private static final class BreakingHealthService extends HealthGrpc.HealthImplBase {
        final List<Long> starts = new CopyOnWriteArrayList<>();
        volatile boolean healthy;

        @Override
        public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
            starts.add(System.nanoTime());
            if (healthy) {
                responses.onNext(HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build());
            } else {
                responses.onError(Status.UNAVAILABLE.withDescription("health service restarting").asRuntimeException());
            }
        }
    }
}
