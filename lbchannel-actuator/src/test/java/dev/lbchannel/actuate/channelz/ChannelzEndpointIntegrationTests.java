package dev.lbchannel.actuate.channelz;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;
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

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.lbchannel.actuate.ActuatorHttp.list;
import static dev.lbchannel.actuate.ActuatorHttp.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /actuator/channelz} over real HTTP against grpc-java backends: after RPCs it shows the
 * documented shape with the right counts and states; an unknown name is 404; write operations are
 * refused under the default (read-only) access; no metadata value leaks.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=channelz",
        "lbchannel.channels.orders.plaintext=true",
        "lbchannel.channels.orders.default.load-balancing-policy=round_robin",
        "lbchannel.channels.inventory.plaintext=true"})
@DirtiesContext
@Timeout(120)
class ChannelzEndpointIntegrationTests {

    private static final TestBackend FIRST = TestBackend.plaintext();
    private static final TestBackend SECOND = TestBackend.plaintext();

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.orders.target",
                () -> "static:///127.0.0.1:" + FIRST.port() + ",127.0.0.1:" + SECOND.port());
        registry.add("lbchannel.channels.inventory.target", () -> "static:///127.0.0.1:" + FIRST.port());
    }

    @AfterAll
    static void stopBackends() {
        FIRST.close();
        SECOND.close();
    }

    @Test
    void afterCallsTheChannelShowsDocumentedShapeCountsAndStates() {
        TestServiceBlockingStub orders = TestServiceGrpc.newBlockingStub(channels.get("orders"));
        Await.until("both orders subchannels READY", () -> {
            channels.get("orders").getState(true);
            return channels.get("orders").snapshot().subchannels().stream()
                    .filter(s -> s.state() == ConnectivityState.READY).count() == 2;
        });
        for (int i = 0; i < 4; i++) {
            orders.emptyCall(Empty.getDefaultInstance());
        }
        assertThatThrownBy(() -> orders.unimplementedCall(Empty.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class);
        ActuatorHttp http = new ActuatorHttp(port);
        Await.until("channelz counts 5 finished calls",
                () -> map(http.get("/actuator/channelz/orders").json().get("calls")).get("failed").equals(1));

        ActuatorHttp.Response response = http.get("/actuator/channelz/orders");
        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> channel = response.json();
        assertThat(channel).containsEntry("name", "orders").containsEntry("state", "READY")
                .containsEntry("lbPolicy", "round_robin")
                .containsEntry("target", "static:///127.0.0.1:" + FIRST.port() + ",127.0.0.1:" + SECOND.port());
        assertThat((Number) channel.get("id")).isNotNull();
        Map<String, Object> calls = map(channel.get("calls"));
        assertThat(calls).containsEntry("started", 5).containsEntry("succeeded", 4).containsEntry("failed", 1);
        assertIsoUtc(calls.get("lastStarted"));

        List<Object> subchannels = list(channel.get("subchannels"));
        assertThat(subchannels).hasSize(2);
        long subchannelCalls = 0;
        long streams = 0;
        long received = 0;
        for (Object element : subchannels) {
            Map<String, Object> subchannel = map(element);
            assertThat(subchannel).containsKeys("id", "addresses", "state", "calls", "sockets", "trace", "connections");
            assertThat(subchannel).containsEntry("state", "READY");
            assertThat(map(subchannel.get("connections"))).containsEntry("attemptsSucceeded", 1)
                    .containsEntry("attemptsFailed", 0).containsEntry("disconnections", 0);
            String address = (String) list(subchannel.get("addresses")).get(0);
            assertThat(address).isIn("127.0.0.1:" + FIRST.port(), "127.0.0.1:" + SECOND.port());
            subchannelCalls += ((Number) map(subchannel.get("calls")).get("started")).longValue();
            Map<String, Object> socket = map(list(subchannel.get("sockets")).get(0));
            assertThat(socket).containsEntry("remote", address).containsEntry("keepAlivesSent", 0);
            assertThat(socket.get("security")).as("plaintext has no security summary").isNull();
            assertThat((String) socket.get("local")).matches("127\\.0\\.0\\.1:\\d+");
            streams += ((Number) map(socket.get("streams")).get("started")).longValue();
            received += ((Number) map(socket.get("messages")).get("received")).longValue();
            assertThat(map(socket.get("flowControl"))).containsKeys("localWindow", "remoteWindow");
        }
        assertThat(map(channel.get("connections"))).containsEntry("attemptsSucceeded", 2)
                .containsEntry("attemptsFailed", 0).containsEntry("disconnections", 0);
        assertThat(map(channel.get("attempts"))).containsEntry("retries", 0).containsEntry("transparentRetries", 0)
                .containsEntry("hedges", 0).containsEntry("throttled", 0);
        assertThat(subchannelCalls).isEqualTo(5);
        assertThat(streams).isEqualTo(5);
        assertThat(received).isEqualTo(4);

        Map<String, Object> created = map(list(channel.get("trace")).get(0));
        assertThat(created).containsEntry("severity", "INFO");
        assertThat((String) created.get("description")).startsWith("Channel created");
        assertIsoUtc(created.get("time"));
        assertThat(response.body()).doesNotContain(ActuatorTestApplication.SECRET);
    }

    @Test
    void listShowsEveryChannelInConfigurationOrder() {
        ActuatorHttp.Response response = new ActuatorHttp(port).get("/actuator/channelz");

        assertThat(response.status()).isEqualTo(200);
        List<Object> all = list(response.json().get("channels"));
        assertThat(all).extracting(c -> map(c).get("name")).containsExactly("orders", "inventory");
        Map<String, Object> inventory = map(all.get(1));
        assertThat(inventory).containsKeys("id", "target", "state", "lbPolicy", "calls", "subchannels", "trace")
                .containsEntry("lbPolicy", "round_robin"); // idle, it shows the policy it will use: the starter's default
        assertThat(response.body()).doesNotContain(ActuatorTestApplication.SECRET);
    }

    @Test
    void unknownChannelIsNotFound() {
        assertThat(new ActuatorHttp(port).get("/actuator/channelz/nope").status()).isEqualTo(404);
    }

    @Test
    void writeOperationsAreRefusedUnderDefaultAccess() {
        ActuatorHttp.Response response = new ActuatorHttp(port).post("/actuator/channelz/orders/enterIdle");

        assertThat(response.status()).isBetween(400, 499);
    }

    private static void assertIsoUtc(Object time) {
        assertThat(time).isInstanceOf(String.class);
        assertThat((String) time).endsWith("Z");
        assertThat(Instant.parse((String) time)).isNotNull();
    }
}
