package dev.lbchannel.actuate.health;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;

import static dev.lbchannel.actuate.ActuatorHttp.list;
import static dev.lbchannel.actuate.ActuatorHttp.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-channel health over real HTTP: a channel that served calls is UP, an unused one is UP
 * (IDLE), and killing the backend turns the channel DOWN with its last error and subchannel
 * states, while the liveness group stays UP.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true",
        "lbchannel.channels.orders.plaintext=true",
        "lbchannel.channels.orders.default.load-balancing-policy=round_robin",
        "lbchannel.channels.inventory.plaintext=true"})
@DirtiesContext
@Timeout(120)
class ChannelHealthIntegrationTests {

    private static final TestBackend BACKEND = TestBackend.plaintext();

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.orders.target", () -> "static:///127.0.0.1:" + BACKEND.port());
        registry.add("lbchannel.channels.inventory.target", () -> "static:///127.0.0.1:" + BACKEND.port());
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void killedBackendTurnsItsChannelDownAndLivenessStaysUp() {
        ActuatorHttp http = new ActuatorHttp(port);
        TestServiceGrpc.newBlockingStub(channels.get("orders")).emptyCall(Empty.getDefaultInstance());

        Map<String, Object> orders = channelHealth(http, "orders");
        assertThat(orders).containsEntry("status", "UP");
        assertThat(map(orders.get("details"))).containsEntry("state", "READY");
        Map<String, Object> subchannel = map(list(map(orders.get("details")).get("subchannels")).get(0));
        assertThat(subchannel).containsEntry("state", "READY")
                .containsEntry("addresses", java.util.List.of("127.0.0.1:" + BACKEND.port()));
        assertThat(channelHealth(http, "inventory")).containsEntry("status", "UP");
        assertThat(map(channelHealth(http, "inventory").get("details"))).containsEntry("state", "IDLE");

        BACKEND.kill();
        Await.until("orders DOWN", () -> {
            channels.get("orders").getState(true);
            return "DOWN".equals(channelHealth(http, "orders").get("status"));
        });

        Map<String, Object> down = map(channelHealth(http, "orders").get("details"));
        assertThat(down).containsEntry("state", "TRANSIENT_FAILURE");
        assertThat(map(list(down.get("subchannels")).get(0))).containsEntry("state", "TRANSIENT_FAILURE");
        Map<String, Object> lastError = map(down.get("lastError"));
        assertThat(lastError).containsKeys("time", "source", "description");
        assertThat((String) lastError.get("description")).contains("UNAVAILABLE");
        ActuatorHttp.Response health = http.get("/actuator/health");
        assertThat(health.body()).doesNotContain(ActuatorTestApplication.SECRET);
        ActuatorHttp.Response liveness = http.get("/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json()).containsEntry("status", "UP");
        assertThat(liveness.body()).doesNotContain("lbchannel");
    }

    private static Map<String, Object> channelHealth(ActuatorHttp http, String name) {
        Map<String, Object> root = http.get("/actuator/health").json();
        Map<String, Object> lbchannel = map(map(root.get("components")).get("lbchannel"));
        return map(map(lbchannel.get("components")).get(name));
    }
}
