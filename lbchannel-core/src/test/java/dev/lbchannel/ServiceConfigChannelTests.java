package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.StatusObserver;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service config as the channel applies it: method configs per call, and gRFC A21's fallbacks. */
@Timeout(60)
class ServiceConfigChannelTests {

    private static final String SERVICE = "grpc.testing.TestService";

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private TestBackend backend;
    private LbChannel channel;

    @BeforeEach
    void start() {
        backend = TestBackend.plaintext();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backend.close();
    }

    private LbChannel channel(Map<String, ?> defaultConfig) {
        channel = LbChannelBuilder.forTarget("manual:///backend").usePlaintext().resolverProvider(resolver)
                .connectionBackoff(LoadBalancingTests.FAST_BACKOFF).defaultServiceConfig(defaultConfig).build();
        return channel;
    }

    private static Map<String, ?> methodConfig(Map<String, ?> name, Map<String, ?> settings) {
        Map<String, Object> entry = new java.util.LinkedHashMap<>(settings);
        entry.put("name", List.of(name));
        return Map.of("methodConfig", List.of(entry));
    }

    @Test
    void methodTimeoutTightensTheDeadline() throws Exception {
        resolver.update(backend.port());
        channel(methodConfig(Map.of("service", SERVICE, "method", "FullDuplexCall"), Map.of("timeout", "0.2s")));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        TestServiceGrpc.newStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .fullDuplexCall(new StatusObserver<StreamingOutputCallResponse>(closed));
        assertThat(closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance());
        assertThat(backend.lastDeadline()).as("no timeout configured for EmptyCall").isNull();
    }

    @Test
    void everyKnownFieldIsActedOnSoNoneIsTracedAsUnperformed() {
        resolver.update(backend.port());
        Map<String, Object> config = new java.util.LinkedHashMap<>(methodConfig(Map.of("service", SERVICE),
                Map.of("retryPolicy", Map.of("maxAttempts", 3.0, "initialBackoff", "0.1s", "maxBackoff", "1s",
                        "backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE")))));
        config.put("healthCheckConfig", Map.of("serviceName", ""));
        channel(config);

        assertThat(channel.snapshot().trace()).noneSatisfy(event ->
                assertThat(event.description()).contains("not acted on"));
    }

    @Test
    void serviceWideWaitForReadyMakesCallsWaitInsteadOfFailing() {
        resolver.update(backend.port());
        channel(methodConfig(Map.of("service", SERVICE), Map.of("waitForReady", true)));
        backend.kill();
        channel.getState(true);
        Await.until("TRANSIENT_FAILURE", () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);
        assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }

    @Test
    void defaultMethodConfigLimitsResponseSize() {
        resolver.update(backend.port());
        channel(methodConfig(Map.of(), Map.of("maxResponseMessageBytes", 1000.0)));
        var stub = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        assertThat(stub.unaryCall(SimpleRequest.newBuilder().setResponseSize(500).build())).isNotNull();
        assertThatThrownBy(() -> stub.unaryCall(SimpleRequest.newBuilder().setResponseSize(2000).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void invalidResolverConfigKeepsTheLastGoodOne() {
        var endpoints = ManualResolverProvider.endpoints(backend.port());
        channel(Map.of());
        resolver.update(endpoints, Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))));
        TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance());
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("round_robin");

        resolver.update(endpoints, Map.of("loadBalancingConfig", "round_robin"));
        Await.until("the rejection is traced", () -> channel.snapshot().trace().stream()
                .anyMatch(e -> e.description().startsWith("Resolver's service config rejected")));
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("round_robin");
        assertThat(TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance())).isNotNull();
    }

    @Test
    void invalidResolverConfigWithNothingToFallBackOnFailsCalls() {
        channel = LbChannelBuilder.forTarget("manual:///backend").usePlaintext().resolverProvider(resolver)
                .connectionBackoff(LoadBalancingTests.FAST_BACKOFF).build();
        resolver.update(ManualResolverProvider.endpoints(backend.port()),
                Map.of("methodConfig", List.of(Map.of("name", List.of(Map.of("method", "NoService"))))));
        assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("service config is invalid");
                });
    }

    @Test
    void buildRejectsAnInvalidDefaultConfigNamingTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> LbChannelBuilder.forTarget("passthrough:///127.0.0.1:1")
                        .defaultServiceConfig(methodConfig(Map.of("service", SERVICE), Map.of("timeout", "soon"))).build())
                .withMessageContaining("methodConfig[0].timeout");
    }
}
