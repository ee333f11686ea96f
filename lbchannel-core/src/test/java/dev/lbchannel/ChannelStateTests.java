package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RefusedPort;
import dev.lbchannel.testing.TestBackend;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connectivity states, idleness, fail-fast and wait-for-ready against a real server. */
@Timeout(60)
class ChannelStateTests {

    private static final BackoffPolicy FAST_BACKOFF = new BackoffPolicy(Duration.ofMillis(50), 1.6, 0.2,
            Duration.ofMillis(200), Duration.ofSeconds(5));

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private TestBackend backend() {
        TestBackend backend = TestBackend.plaintext();
        cleanup.add(backend);
        return backend;
    }

    private LbChannel channel(int port, java.util.function.UnaryOperator<LbChannelBuilder> options) {
        LbChannel channel = options.apply(LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port)
                .usePlaintext().connectionBackoff(FAST_BACKOFF)).build();
        cleanup.add(0, () -> {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("channel terminated").isTrue();
        });
        return channel;
    }

    @Test
    void startsIdleConnectsOnRequestAndReportsEachChange() throws Exception {
        TestBackend backend = backend();
        LbChannel channel = channel(backend.port(), b -> b);
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.IDLE);
        assertThat(backend.callsStarted()).isZero();

        List<ConnectivityState> seen = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        watch(channel, ConnectivityState.IDLE, seen, ready);
        channel.getState(true);
        assertThat(ready.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(ConnectivityState.CONNECTING, ConnectivityState.READY);
    }

    private static void watch(LbChannel channel, ConnectivityState from, List<ConnectivityState> seen, CountDownLatch ready) {
        channel.notifyWhenStateChanged(from, () -> {
            ConnectivityState now = channel.getState(false);
            seen.add(now);
            if (now == ConnectivityState.READY) {
                ready.countDown();
            } else {
                watch(channel, now, seen, ready);
            }
        });
    }

    @Test
    void failFastCallsFailUnavailableInTransientFailureWhileWaitForReadyCallsWaitForTheServer() throws Exception {
        try (RefusedPort refused = new RefusedPort()) {
            int port = refused.port();
            LbChannel channel = channel(port, b -> b);
            channel.getState(true);
            Await.until("TRANSIENT_FAILURE", () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);

            assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .emptyCall(Empty.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains(String.valueOf(port));
                    });

            // A wait-for-ready call does not fail fast: it waits until its deadline.
            assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(channel).withWaitForReady()
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS).emptyCall(Empty.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        }
    }

    @Test
    void waitForReadyCallSucceedsOnceTheKilledServerIsBack() throws Exception {
        TestBackend backend = backend();
        LbChannel channel = channel(backend.port(), b -> b);
        var stub = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        stub.emptyCall(Empty.getDefaultInstance());

        backend.kill();
        Await.until("channel leaves READY", () -> channel.getState(false) != ConnectivityState.READY);
        var waiting = TestServiceGrpc.newFutureStub(channel).withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
        backend.restart();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(Empty.getDefaultInstance());
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void idleTimeoutDropsConnectionsAndTheNextCallReconnects() {
        TestBackend backend = backend();
        LbChannel channel = channel(backend.port(), b -> b.idleTimeout(1, TimeUnit.SECONDS));
        var stub = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        stub.emptyCall(Empty.getDefaultInstance());
        Await.until("IDLE after the idle timeout", () -> channel.getState(false) == ConnectivityState.IDLE);
        Await.until("subchannels gone", () -> channel.snapshot().subchannels().isEmpty());
        assertThat(stub.emptyCall(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void enterIdleThenCallExitsIdle() {
        TestBackend backend = backend();
        LbChannel channel = channel(backend.port(), b -> b);
        var stub = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        stub.emptyCall(Empty.getDefaultInstance());
        channel.enterIdle();
        Await.until("IDLE", () -> channel.getState(false) == ConnectivityState.IDLE);
        assertThat(stub.emptyCall(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());
    }

    @Test
    void resetConnectBackoffReconnectsAtOnce() throws Exception {
        TestBackend backend = backend();
        int port = backend.port();
        backend.kill();
        LbChannel channel = channel(port, b -> b.connectionBackoff(new BackoffPolicy(Duration.ofMinutes(10), 1.6, 0.2,
                Duration.ofMinutes(10), Duration.ofSeconds(5))));
        channel.getState(true);
        Await.until("TRANSIENT_FAILURE", () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);
        backend.restart();
        channel.resetConnectBackoff();
        Await.until("READY without waiting ten minutes", () -> channel.getState(false) == ConnectivityState.READY);
    }

    @Test
    void buildRejectsBadTargetsAndPoliciesNamingThem() {
        assertThatIllegalArgumentException().isThrownBy(() -> LbChannelBuilder.forTarget("dnss:///x:1").build())
                .withMessageContaining("Unknown scheme 'dnss'");
        assertThatIllegalArgumentException().isThrownBy(() -> LbChannelBuilder.forTarget("passthrough:///x:port").build())
                .withMessageContaining("'x:port'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LbChannelBuilder.forTarget("passthrough:///x:1").defaultLoadBalancingPolicy("nope").build())
                .withMessageContaining("Unknown load-balancing policy 'nope'").withMessageContaining("pick_first");
    }
}
