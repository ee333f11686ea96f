package dev.lbchannel.actuate.metrics;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
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

import java.util.List;
import java.util.Map;

import static dev.lbchannel.actuate.ActuatorHttp.list;
import static dev.lbchannel.actuate.ActuatorHttp.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Meters over real HTTP ({@code /actuator/metrics}): call and attempt meters carry the channel,
 * method, canonical target and status; a call without retries records no retry meter;
 * subchannel gauges count states per channel.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=metrics",
        "lbchannel.channels.orders.plaintext=true",
        "lbchannel.channels.orders.default.load-balancing-policy=round_robin",
        "lbchannel.channels.payments.plaintext=true",
        "lbchannel.channels.flaky.plaintext=true"})
@DirtiesContext
@Timeout(120)
class ChannelMetricsIntegrationTests {

    private static final TestBackend FIRST = TestBackend.plaintext();
    private static final TestBackend SECOND = TestBackend.plaintext();
    private static final TestBackend THIRD = TestBackend.plaintext();

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.orders.target",
                () -> "static:///127.0.0.1:" + FIRST.port() + ",127.0.0.1:" + SECOND.port());
        registry.add("lbchannel.channels.payments.target", () -> "static:///127.0.0.1:" + FIRST.port());
        registry.add("lbchannel.channels.flaky.target", () -> "static:///127.0.0.1:" + THIRD.port());
    }

    @AfterAll
    static void stopBackends() {
        FIRST.close();
        SECOND.close();
        THIRD.close();
    }

    @Test
    void callAndAttemptMetersAreTaggedWithTheChannel() {
        TestServiceBlockingStub orders = TestServiceGrpc.newBlockingStub(channels.get("orders"));
        for (int i = 0; i < 3; i++) {
            orders.emptyCall(Empty.getDefaultInstance());
        }
        assertThatThrownBy(() -> orders.unimplementedCall(Empty.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class);
        ActuatorHttp http = new ActuatorHttp(port);
        String method = "grpc.testing.TestService/EmptyCall";

        Map<String, Object> calls = http.get("/actuator/metrics/grpc.client.call.duration"
                + "?tag=channel:orders&tag=grpc.method:" + method + "&tag=grpc.status:OK").json();
        assertThat(statistic(calls, "COUNT")).isEqualTo(3.0);
        Map<String, Object> attempts = http.get("/actuator/metrics/grpc.client.attempt.duration?tag=channel:orders").json();
        assertThat(statistic(attempts, "COUNT")).isEqualTo(4.0);
        assertThat(tagValues(attempts, "grpc.status")).containsExactlyInAnyOrder("OK", "UNIMPLEMENTED");
        assertThat(tagValues(attempts, "grpc.method"))
                .containsExactlyInAnyOrder(method, "grpc.testing.TestService/UnimplementedCall");
        assertThat(tagValues(attempts, "grpc.target"))
                .containsExactly("static:///127.0.0.1:" + FIRST.port() + ",127.0.0.1:" + SECOND.port());
        Map<String, Object> started = http.get("/actuator/metrics/grpc.client.attempt.started?tag=channel:orders").json();
        assertThat(statistic(started, "COUNT")).isEqualTo(4.0);
        assertThat(http.get("/actuator/metrics/grpc.client.call.duration").body())
                .doesNotContain(ActuatorTestApplication.SECRET);
    }

    @Test
    void attemptMessageSizesAreRecordedInBytesPerAttempt() {
        SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(700)
                .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[500]))).build();
        SimpleResponse response = TestServiceGrpc.newBlockingStub(channels.get("payments")).unaryCall(request);
        ActuatorHttp http = new ActuatorHttp(port);
        String tags = "?tag=channel:payments&tag=grpc.method:grpc.testing.TestService/UnaryCall&tag=grpc.status:OK";

        Map<String, Object> sent = http.get("/actuator/metrics/grpc.client.attempt.sent_total_compressed_message_size"
                + tags).json();
        assertThat(sent.get("baseUnit")).isEqualTo("bytes");
        assertThat(statistic(sent, "COUNT")).isEqualTo(1.0);
        assertThat(statistic(sent, "TOTAL")).isEqualTo(request.getSerializedSize());
        Map<String, Object> rcvd = http.get("/actuator/metrics/grpc.client.attempt.rcvd_total_compressed_message_size"
                + tags).json();
        assertThat(rcvd.get("baseUnit")).isEqualTo("bytes");
        assertThat(statistic(rcvd, "TOTAL")).isEqualTo(response.getSerializedSize());
        assertThat(tagValues(rcvd, "grpc.target")).containsExactly("static:///127.0.0.1:" + FIRST.port());
        Map<String, Object> attempts = http.get("/actuator/metrics/grpc.client.attempt.duration" + tags).json();
        assertThat(attempts.get("baseUnit")).isEqualTo("seconds");
        assertThat(statistic(attempts, "COUNT")).isEqualTo(1.0);
    }

    @Test
    void aCallWithoutRetriesRecordsNoRetryMeters() {
        TestServiceGrpc.newBlockingStub(channels.get("payments")).emptyCall(Empty.getDefaultInstance());
        ActuatorHttp http = new ActuatorHttp(port);

        assertThat(statistic(http.get("/actuator/metrics/grpc.client.call.duration?tag=channel:payments"
                + "&tag=grpc.method:grpc.testing.TestService/EmptyCall").json(), "COUNT")).isEqualTo(1.0);
        for (String name : List.of(GrpcMeterNames.CALL_RETRIES, GrpcMeterNames.CALL_TRANSPARENT_RETRIES,
                GrpcMeterNames.CALL_HEDGES, GrpcMeterNames.CALL_RETRY_DELAY)) {
            assertThat(http.get("/actuator/metrics/" + name + "?tag=channel:payments").status()).as(name)
                    .isEqualTo(404);
        }
    }

    @Test
    void subchannelGaugesCountStatesPerChannel() {
        ActuatorHttp http = new ActuatorHttp(port);
        channels.get("orders").getState(true);

        Await.until("two READY subchannels in the gauge", () -> statistic(http.get(
                "/actuator/metrics/lbchannel.subchannels?tag=channel:orders&tag=state:READY").json(), "VALUE") == 2.0);
        assertThat(statistic(http.get("/actuator/metrics/lbchannel.subchannels?tag=channel:orders&tag=state:TRANSIENT_FAILURE")
                .json(), "VALUE")).isZero();
        assertThat(statistic(http.get("/actuator/metrics/grpc.subchannel.open_connections?tag=channel:orders").json(),
                "VALUE")).isEqualTo(2.0);
    }

    @Test
    void connectionCountersCountAttemptsAndDisconnections() {
        ActuatorHttp http = new ActuatorHttp(port);
        String succeeded = "/actuator/metrics/grpc.subchannel.connection_attempts_succeeded?tag=channel:flaky";
        String failed = "/actuator/metrics/grpc.subchannel.connection_attempts_failed?tag=channel:flaky";
        String disconnections = "/actuator/metrics/grpc.subchannel.disconnections?tag=channel:flaky";
        channels.get("flaky").getState(true);
        Await.until("one connection attempt succeeded", () -> statistic(http.get(succeeded).json(), "COUNT") == 1.0);
        assertThat(statistic(http.get(failed).json(), "COUNT")).isZero();
        assertThat(statistic(http.get(disconnections).json(), "COUNT")).isZero();
        assertThat(tagValues(http.get(succeeded).json(), "grpc.target"))
                .containsExactly("static:///127.0.0.1:" + THIRD.port());

        THIRD.kill();
        Await.until("the lost connection counted", () -> statistic(http.get(disconnections).json(), "COUNT") == 1.0);
        channels.get("flaky").getState(true);
        Await.until("a failed reconnection counted", () -> statistic(http.get(failed).json(), "COUNT") >= 1.0);
        assertThat(statistic(http.get(succeeded).json(), "COUNT")).isEqualTo(1.0);
    }

    private static double statistic(Map<String, Object> meter, String statistic) {
        for (Object measurement : list(meter.get("measurements"))) {
            if (statistic.equals(map(measurement).get("statistic"))) {
                return ((Number) map(measurement).get("value")).doubleValue();
            }
        }
        throw new AssertionError("No " + statistic + " in " + meter);
    }

    private static List<Object> tagValues(Map<String, Object> meter, String tag) {
        for (Object available : list(meter.get("availableTags"))) {
            if (tag.equals(map(available).get("tag"))) {
                return list(map(available).get("values"));
            }
        }
        return List.of();
    }
}
