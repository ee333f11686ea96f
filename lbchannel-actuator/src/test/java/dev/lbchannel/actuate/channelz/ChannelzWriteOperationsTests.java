package dev.lbchannel.actuate.channelz;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The channelz write operations when the endpoint's access is unrestricted. */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=channelz",
        "management.endpoint.channelz.access=unrestricted",
        "lbchannel.channels.orders.plaintext=true"})
@DirtiesContext
@Timeout(120)
class ChannelzWriteOperationsTests {

    private static final TestBackend BACKEND = TestBackend.plaintext();

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.orders.target", () -> "static:///127.0.0.1:" + BACKEND.port());
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void enterIdleDropsTheChannelsConnections() {
        TestServiceGrpc.newBlockingStub(channels.get("orders")).emptyCall(Empty.getDefaultInstance());
        assertThat(channels.get("orders").getState(false)).isEqualTo(ConnectivityState.READY);

        assertThat(new ActuatorHttp(port).post("/actuator/channelz/orders/enterIdle").status()).isEqualTo(204);

        Await.until("orders IDLE", () -> channels.get("orders").getState(false) == ConnectivityState.IDLE);
    }

    @Test
    void refreshResolutionIsAccepted() {
        assertThat(new ActuatorHttp(port).post("/actuator/channelz/orders/refreshResolution").status()).isEqualTo(204);
    }

    @Test
    void resetConnectBackoffIsAccepted() {
        assertThat(new ActuatorHttp(port).post("/actuator/channelz/orders/resetConnectBackoff").status()).isEqualTo(204);
    }

    @Test
    void unknownChannelOrOperationIsRefused() {
        ActuatorHttp http = new ActuatorHttp(port);

        assertThat(http.post("/actuator/channelz/nope/enterIdle").status()).isEqualTo(404);
        ActuatorHttp.Response unknown = http.post("/actuator/channelz/orders/explode");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("resetConnectBackoff", "enterIdle", "refreshResolution");
    }
}
