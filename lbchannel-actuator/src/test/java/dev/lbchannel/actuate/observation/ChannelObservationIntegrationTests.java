package dev.lbchannel.actuate.observation;

import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every call is observed through the application's {@code ObservationRegistry}, the way Spring's
 * tracing sees it: a handler (standing in for the tracing handler) is started and stopped once per
 * call, and what it puts into the carrier reaches a real grpc-java server as a request header; the
 * metrics handler times the call as {@code grpc.client} with the channel's name.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, properties = {
        "lbchannel.channels.orders.plaintext=true", "lbchannel.channels.orders.authority=orders.example.com"})
@Import(ChannelObservationIntegrationTests.TracingStandIn.class)
@DirtiesContext
@Timeout(60)
class ChannelObservationIntegrationTests {

    static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static final TestBackend BACKEND = TestBackend.plaintext();

    @Autowired
    LbChannels channels;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RecordingHandler handler;

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.orders.target", () -> "static:///127.0.0.1:" + BACKEND.port());
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void eachCallIsObservedAndItsContextTravelsInTheHeaders() {
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channels.get("orders"))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
        stub.emptyCall(Empty.getDefaultInstance());
        assertThatThrownBy(() -> stub.unimplementedCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));

        Await.until("both observations stopped", () -> handler.stopped.size() == 2);
        assertThat(handler.started).extracting(GrpcClientObservationContext::getFullMethodName)
                .containsExactly("grpc.testing.TestService/EmptyCall", "grpc.testing.TestService/UnimplementedCall");
        assertThat(handler.stopped).extracting(GrpcClientObservationContext::getStatusCode)
                .containsExactly(Status.Code.OK, Status.Code.UNIMPLEMENTED);
        // The peer is the backend the call went to, not the authority the channel names (orders.example.com).
        assertThat(handler.stopped).allSatisfy(context -> {
            assertThat(context.getPeerName()).isEqualTo("127.0.0.1");
            assertThat(context.getPeerPort()).isEqualTo(BACKEND.port());
        });
        assertThat(BACKEND.lastHeaders()).isNotNull();
        assertThat(BACKEND.lastHeaders().get(TRACEPARENT)).isEqualTo(TRACE);

        Timer ok = meters.find("grpc.client").tag("channel", "orders").tag("grpc.status_code", "OK").timer();
        assertThat(ok).as("grpc.client timer tagged with the channel").isNotNull();
        assertThat(ok.count()).isEqualTo(1);
        assertThat(meters.find("grpc.client").tag("channel", "orders").tag("grpc.status_code", "UNIMPLEMENTED")
                .timer()).isNotNull();
    }

    /** Records gRPC client observations and injects a trace header, as a tracing handler would. */
    static final class RecordingHandler implements ObservationHandler<GrpcClientObservationContext> {

        final List<GrpcClientObservationContext> started = new CopyOnWriteArrayList<>();
        final List<GrpcClientObservationContext> stopped = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(GrpcClientObservationContext context) {
            context.getSetter().set(context.getCarrier(), TRACEPARENT.name(), TRACE);
            started.add(context);
        }

        @Override
        public void onStop(GrpcClientObservationContext context) {
            stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof GrpcClientObservationContext;
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TracingStandIn {

        @Bean
        RecordingHandler recordingHandler() {
            return new RecordingHandler();
        }
    }
}
