package dev.lbchannel.actuate.metrics;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
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

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.lbchannel.actuate.ActuatorHttp.list;
import static dev.lbchannel.actuate.ActuatorHttp.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * gRFC A96's retry meters and channelz's attempt counts for a call a {@code retryPolicy} really
 * retried: a scripted server fails the first two attempts UNAVAILABLE, the third succeeds.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=metrics,channelz",
        "lbchannel.channels.retrying.plaintext=true",
        "lbchannel.channels.retrying.service-config-json={\"methodConfig\":[{\"name\":[{\"service\":\"test.Raw\"}],"
                + "\"retryPolicy\":{\"maxAttempts\":3,\"initialBackoff\":\"0.01s\",\"maxBackoff\":\"0.01s\","
                + "\"backoffMultiplier\":1,\"retryableStatusCodes\":[\"UNAVAILABLE\"]}}]}"})
@DirtiesContext
@Timeout(120)
class RetryMetersIntegrationTests {

    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static final RawHttp2Server SERVER = RawHttp2Server.start(exchange -> {
        if (REQUESTS.getAndIncrement() % 3 < 2) {
            exchange.headers(RawHttp2Server.grpcHeaders().add("grpc-status", "14"), true);
        } else {
            exchange.okResponse(exchange.streamId(), "ok".getBytes(StandardCharsets.UTF_8));
        }
    });

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.retrying.target", () -> "passthrough:///127.0.0.1:" + SERVER.address().getPort());
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    void aRetriedCallRecordsItsRetriesAndTheirDelay() {
        ClientCalls.blockingUnaryCall(channels.get("retrying"), RawMethods.UNARY,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {1});
        ActuatorHttp http = new ActuatorHttp(port);

        Map<String, Object> retries = http.get("/actuator/metrics/" + GrpcMeterNames.CALL_RETRIES
                + "?tag=channel:retrying").json();
        assertThat(statistic(retries, "COUNT")).isEqualTo(1.0);
        assertThat(statistic(retries, "TOTAL")).isEqualTo(2.0);
        assertThat(statistic(http.get("/actuator/metrics/" + GrpcMeterNames.CALL_RETRY_DELAY
                + "?tag=channel:retrying").json(), "COUNT")).isEqualTo(1.0);
        Map<String, Object> attempts = map(map(http.get("/actuator/channelz/retrying").json()).get("attempts"));
        assertThat(attempts.get("retries")).isEqualTo(2);
    }

    private static double statistic(Map<String, Object> meter, String statistic) {
        for (Object measurement : list(meter.get("measurements"))) {
            if (statistic.equals(map(measurement).get("statistic"))) {
                return ((Number) map(measurement).get("value")).doubleValue();
            }
        }
        throw new AssertionError("No " + statistic + " in " + meter);
    }
}
