package dev.lbchannel.actuate.health;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.HealthBackends;
import dev.lbchannel.testing.RefusedPort;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each connectivity state of a real channel maps to its documented health: IDLE up, CONNECTING
 * unknown (against a peer that accepts TCP but never speaks HTTP/2), TRANSIENT_FAILURE down with the
 * last error (nothing listening), SHUTDOWN out of service; a subchannel connected to a backend
 * that reports NOT_SERVING is counted as unhealthy.
 */
@Timeout(60)
class ChannelHealthIndicatorTests {

    private LbChannel channel;

    @AfterEach
    void shutdown() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIdleChannelIsUp() {
        channel = plaintext("static:///127.0.0.1:1");

        Health health = new ChannelHealthIndicator(channel, false).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("state", "IDLE").containsEntry("target", "static:///127.0.0.1:1")
                .containsEntry("everConnected", false);
    }

    @Test
    void aChannelThatConnectsOnStartUpIsOutOfServiceUntilItHasConnectedOnceThenUpEvenIdle() throws Exception {
        TestBackend backend = TestBackend.plaintext();
        try {
            channel = plaintext("static:///127.0.0.1:" + backend.port());
            assertThat(new ChannelHealthIndicator(channel, true).health().getStatus()).as("never connected")
                    .isEqualTo(Status.OUT_OF_SERVICE);

            channel.getState(true);
            Await.until("the channel READY", () -> channel.getState(false) == ConnectivityState.READY);
            channel.enterIdle();
            Await.until("the channel IDLE again", () -> channel.getState(false) == ConnectivityState.IDLE);

            Health health = new ChannelHealthIndicator(channel, true).health();
            assertThat(health.getStatus()).as("connected once, now idle").isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("state", "IDLE").containsEntry("everConnected", true);
        } finally {
            backend.close();
        }
    }

    @Test
    void aConnectingChannelIsUnknown() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            channel = plaintext("static:///127.0.0.1:" + silent.getLocalPort());
            channel.getState(true);
            Await.until("the channel CONNECTING", () -> channel.getState(false) == ConnectivityState.CONNECTING);

            Health health = new ChannelHealthIndicator(channel, false).health();

            assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
            assertThat(health.getDetails()).containsEntry("state", "CONNECTING").doesNotContainKey("lastError");
            assertThat(subchannelStates(health)).containsExactly("CONNECTING");
        }
    }

    @Test
    void aFailingChannelIsDownWithTheLastError() {
        try (RefusedPort refused = new RefusedPort()) {
            channel = plaintext("static:///127.0.0.1:" + refused.port());
            channel.getState(true);
            Await.until("the channel in TRANSIENT_FAILURE",
                    () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);

            Health health = new ChannelHealthIndicator(channel, false).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("state", "TRANSIENT_FAILURE").containsKey("lastError");
            assertThat(subchannelStates(health)).containsExactly("TRANSIENT_FAILURE");
        }
    }

    @Test
    void connectedButUnhealthySubchannelsAreCountedWhileTheChannelStaysUp() {
        try (HealthBackends backends = HealthBackends.withHealthStatusManagers(2)) {
            backends.setStatus(0, "orders", ServingStatus.SERVING);
            backends.setStatus(1, "orders", ServingStatus.NOT_SERVING);
            channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + backends.port(0) + ",127.0.0.1:"
                    + backends.port(1)).usePlaintext().defaultServiceConfig(Map.of(
                    "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                    "healthCheckConfig", Map.of("serviceName", "orders"))).build();
            channel.getState(true);
            Await.until("one subchannel connected but unhealthy", () -> channel.snapshot().subchannels().stream()
                    .anyMatch(s -> s.state() == ConnectivityState.READY && s.health().isUnhealthy()));
            Await.until("the channel READY", () -> channel.getState(false) == ConnectivityState.READY);

            Health health = new ChannelHealthIndicator(channel, false).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("unhealthySubchannels", 1L);
            assertThat(subchannelStates(health)).containsExactly("READY", "READY");
            assertThat(subchannelDetail(health, "health")).containsExactlyInAnyOrder("SERVING", "NOT_SERVING");
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aShutDownChannelIsOutOfService() {
        channel = plaintext("static:///127.0.0.1:1");
        channel.shutdown();

        Health health = new ChannelHealthIndicator(channel, false).health();

        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.getDetails()).containsEntry("state", "SHUTDOWN");
    }

    private static LbChannel plaintext(String target) {
        return LbChannelBuilder.forTarget(target).usePlaintext().build();
    }

    private static List<String> subchannelStates(Health health) {
        return subchannelDetail(health, "state");
    }

    @SuppressWarnings("unchecked")
    private static List<String> subchannelDetail(Health health, String name) {
        return ((List<Map<String, Object>>) health.getDetails().get("subchannels")).stream()
                .map(subchannel -> (String) subchannel.get(name)).toList();
    }
}
