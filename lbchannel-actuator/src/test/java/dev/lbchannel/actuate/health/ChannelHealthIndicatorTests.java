package dev.lbchannel.actuate.health;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RefusedPort;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
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
 * last error (nothing listening), SHUTDOWN out of service.
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

    @SuppressWarnings("unchecked")
    private static List<String> subchannelStates(Health health) {
        return ((List<Map<String, Object>>) health.getDetails().get("subchannels")).stream()
                .map(subchannel -> (String) subchannel.get("state")).toList();
    }
}
