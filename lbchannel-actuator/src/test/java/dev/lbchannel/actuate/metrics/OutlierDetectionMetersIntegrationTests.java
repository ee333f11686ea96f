package dev.lbchannel.actuate.metrics;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.lbchannel.actuate.ActuatorHttp.list;
import static dev.lbchannel.actuate.ActuatorHttp.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outlier detection as the actuator shows it, over real HTTP: a backend failing every call is
 * ejected, channelz names its subchannel under {@code outlierDetection}, and gRFC A91's counters
 * count the ejection by detection method, tagged with the channel and target.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=metrics,channelz",
        "lbchannel.channels.inventory.plaintext=true",
        "lbchannel.channels.inventory.service-config-json={\"loadBalancingConfig\":[{\"outlier_detection\":{"
                + "\"interval\":\"0.3s\",\"maxEjectionPercent\":20,\"failurePercentageEjection\":{\"requestVolume\":10},"
                + "\"childPolicy\":[{\"round_robin\":{}}]}}]}"})
@DirtiesContext
@Timeout(120)
class OutlierDetectionMetersIntegrationTests {

    private static final List<TestBackend> BACKENDS = IntStream.range(0, 5)
            .mapToObj(i -> i < 4 ? TestBackend.plaintext() : TestBackend.start(false, b -> b.intercept(new FailAll())))
            .toList();

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.inventory.target", () -> "static:///" + BACKENDS.stream()
                .map(b -> "127.0.0.1:" + b.port()).collect(Collectors.joining(",")));
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.forEach(TestBackend::close);
    }

    @Test
    void anEjectionShowsInChannelzAndAsA91Counters() {
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channels.get("inventory"));
        ActuatorHttp http = new ActuatorHttp(port);
        Await.until("an ejection in channelz", Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 20; i++) {
                try {
                    stub.withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
                } catch (StatusRuntimeException e) {
                    // the failing backend's share, until it is ejected
                }
            }
            return !list(map(http.get("/actuator/channelz/inventory").json().get("outlierDetection"))
                    .get("ejectedSubchannels")).isEmpty();
        });

        Map<String, Object> channel = http.get("/actuator/channelz/inventory").json();
        Object ejectedId = list(map(channel.get("outlierDetection")).get("ejectedSubchannels")).get(0);
        Map<String, Object> ejected = list(channel.get("subchannels")).stream().map(ActuatorHttp::map)
                .filter(s -> s.get("id").equals(ejectedId)).findFirst().orElseThrow();
        assertThat(list(ejected.get("addresses"))).containsExactly("127.0.0.1:" + BACKENDS.get(4).port());
        assertThat(ejected.get("state")).isEqualTo("READY");

        Map<String, Object> enforced = http.get("/actuator/metrics/grpc.lb.outlier_detection.ejections_enforced"
                + "?tag=channel:inventory&tag=grpc.lb.outlier_detection.detection_method:failure_percentage").json();
        assertThat(count(enforced)).isEqualTo(1.0);
        assertThat(http.get("/actuator/metrics/grpc.lb.outlier_detection.ejections_enforced?tag=channel:inventory"
                + "&tag=grpc.lb.outlier_detection.detection_method:success_rate").json()).satisfies(
                        m -> assertThat(count(m)).isZero());
        Map<String, Object> unenforced = http.get("/actuator/metrics/grpc.lb.outlier_detection.ejections_unenforced"
                + "?tag=channel:inventory").json();
        assertThat(count(unenforced)).isZero();
        assertThat(tagValues(unenforced, "grpc.lb.outlier_detection.unenforced_reason"))
                .containsExactlyInAnyOrder("enforcement_percentage", "max_ejection_overflow");
    }

    private static double count(Map<String, Object> meter) {
        for (Object measurement : list(meter.get("measurements"))) {
            if ("COUNT".equals(map(measurement).get("statistic"))) {
                return ((Number) map(measurement).get("value")).doubleValue();
            }
        }
        throw new AssertionError("No COUNT in " + meter);
    }

    private static List<Object> tagValues(Map<String, Object> meter, String tag) {
        for (Object available : list(meter.get("availableTags"))) {
            if (tag.equals(map(available).get("tag"))) {
                return list(map(available).get("values"));
            }
        }
        return List.of();
    }

    /** Answers every call UNAVAILABLE. */
    private static final class FailAll implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            call.close(Status.UNAVAILABLE.withDescription("injected fault"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
    }
}
