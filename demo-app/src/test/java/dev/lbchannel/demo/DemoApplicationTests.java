package dev.lbchannel.demo;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.testing.Await;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.lbchannel.actuate.ActuatorHttp.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a newcomer meets it, over real HTTP: the round_robin channel connects to all three
 * backends and spreads calls; a stopped backend is routed around and rejoins when started; the
 * pick_first channel sticks to one backend; errors come back as JSON with the gRPC status; the
 * actuator shows channelz, health and meters. The background traffic runs, slowed down.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "demo.traffic.rate=4")
@DirtiesContext
@Timeout(120)
class DemoApplicationTests {

    private static final String ROUND_ROBIN = "round-robin";
    private static final Duration RECONNECT = Duration.ofSeconds(40);

    @LocalServerPort
    int port;

    DemoHttp http;

    @BeforeEach
    void allBackendsReady() {
        http = new DemoHttp(port);
        Await.until("the round_robin channel has three READY subchannels", () -> readyCount(ROUND_ROBIN) == 3);
    }

    @Test
    void roundRobinSpreadsCallsOverBackends() {
        Set<Integer> served = new HashSet<>();
        for (int i = 0; i < 30 && served.size() < 2; i++) {
            served.add(hello(ROUND_ROBIN));
        }

        assertThat(served).hasSizeGreaterThanOrEqualTo(2).isSubsetOf(1, 2, 3);
    }

    @Test
    void stoppedBackendIsRoutedAroundAndRejoinsWhenStarted() {
        Map<Integer, String> addresses = http.backendAddresses();
        String first = addresses.get(1);
        ActuatorHttp.Response started;
        try {
            ActuatorHttp.Response stopped = http.post("/backends/1/stop");
            assertThat(stopped.status()).isEqualTo(200);
            assertThat(stopped.json()).containsEntry("id", 1).containsEntry("running", false)
                    .containsEntry("address", first);
            Await.until("backend 1's subchannel leaves READY", Duration.ofSeconds(10),
                    () -> !"READY".equals(http.subchannelStates(ROUND_ROBIN).get(first)));

            Set<Integer> served = new HashSet<>();
            for (int i = 0; i < 40 && served.size() < 2; i++) {
                served.add(hello(ROUND_ROBIN));
            }
            assertThat(served).containsExactlyInAnyOrder(2, 3);
            assertThat(http.subchannelStates(ROUND_ROBIN)).containsEntry(addresses.get(2), "READY")
                    .containsEntry(addresses.get(3), "READY");
        } finally {
            // Asserting here would replace a failure from the try block with this one.
            started = http.post("/backends/1/start");
        }
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json()).containsEntry("running", true).containsEntry("address", first);
        Await.until("backend 1's subchannel is READY again", RECONNECT,
                () -> "READY".equals(http.subchannelStates(ROUND_ROBIN).get(first)));
        Await.until("backend 1 answers again", () -> hello(ROUND_ROBIN) == 1);
    }

    @Test
    void pickFirstSticksToOneBackend() {
        int first = hello("pick-first");
        for (int i = 0; i < 10; i++) {
            assertThat(hello("pick-first")).isEqualTo(first);
        }
    }

    @Test
    void helloAnswersWithMessageBackendAndChannel() {
        ActuatorHttp.Response response = http.get("/hello?name=Ada&channel=pick-first");

        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> greeting = response.json();
        assertThat(greeting).containsEntry("channel", "pick-first");
        int backend = (Integer) greeting.get("backendId");
        assertThat(greeting.get("message")).isEqualTo("Hello, Ada! (from backend " + backend + ")");
    }

    @Test
    void failedCallIsJsonWithItsGrpcStatusAndNoStackTrace() {
        ActuatorHttp.Response response = http.get("/hello?name=&channel=round-robin");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).containsEntry("grpcStatus", "INVALID_ARGUMENT")
                .containsEntry("channel", ROUND_ROBIN)
                .containsEntry("description", "name must not be blank");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownChannelIsBadRequestNamingTheChannels() {
        ActuatorHttp.Response response = http.get("/hello?channel=nope");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).containsEntry("error", "No channel 'nope'; channels are round-robin, pick-first");
    }

    @Test
    void backendsListIdsPortsAndState() {
        ActuatorHttp.Response response = http.get("/backends");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.jsonList()).hasSize(3).allSatisfy(element -> {
            Map<String, Object> backend = map(element);
            assertThat(backend).containsEntry("running", true);
            assertThat((Integer) backend.get("port")).isPositive();
            assertThat(backend.get("address")).isEqualTo("127.0.0.1:" + backend.get("port"));
        });
        assertThat(response.jsonList()).extracting(b -> map(b).get("id")).containsExactly(1, 2, 3);
    }

    @Test
    void unknownBackendIsNotFound() {
        ActuatorHttp.Response stop = http.post("/backends/7/stop");
        ActuatorHttp.Response start = http.post("/backends/0/start");

        assertThat(stop.status()).isEqualTo(404);
        assertThat(stop.json()).containsEntry("error", "No backend 7; backends are [1, 2, 3]");
        assertThat(start.status()).isEqualTo(404);
    }

    @Test
    void backgroundTrafficReachesBothChannels() {
        long roundRobin = callsStarted(ROUND_ROBIN);
        long pickFirst = callsStarted("pick-first");

        Await.until("background calls on both channels",
                () -> callsStarted(ROUND_ROBIN) > roundRobin && callsStarted("pick-first") > pickFirst);
    }

    @Test
    void actuatorShowsChannelzHealthDetailsAndMeters() {
        Map<String, Object> roundRobin = http.get("/actuator/channelz/round-robin").json();
        assertThat(roundRobin).containsEntry("target", "demo:///greeter").containsEntry("lbPolicy", "round_robin");
        assertThat(http.get("/actuator/channelz/pick-first").json()).containsEntry("lbPolicy", "pick_first");

        Map<String, Object> channels = map(map(map(http.get("/actuator/health").json().get("components"))
                .get("lbchannel")).get("components"));
        assertThat(channels).containsKeys(ROUND_ROBIN, "pick-first");
        assertThat(map(map(channels.get(ROUND_ROBIN)).get("details"))).containsEntry("lbPolicy", "round_robin");

        Await.until("the call meter has been registered",
                () -> http.get("/actuator/metrics/grpc.client.call.duration").status() == 200);
        assertThat(http.get("/actuator/metrics/grpc.client.call.duration").body()).contains(ROUND_ROBIN);
    }

    private int hello(String channel) {
        ActuatorHttp.Response response = http.get("/hello?name=test&channel=" + channel);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return (Integer) response.json().get("backendId");
    }

    private long readyCount(String channel) {
        return http.subchannelStates(channel).values().stream().filter("READY"::equals).count();
    }

    private long callsStarted(String channel) {
        return ((Number) map(http.get("/actuator/channelz/" + channel).json().get("calls")).get("started")).longValue();
    }
}
