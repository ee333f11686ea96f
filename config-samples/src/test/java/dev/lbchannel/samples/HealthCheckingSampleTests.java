package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.HealthBackends;
import io.grpc.ConnectivityState;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/health-checking.yml}: round_robin over three grpc-java backends whose
 * {@code HealthStatusManager} reports {@code orders.v1.Orders}.
 */
@Timeout(60)
class HealthCheckingSampleTests {

    private static final String SERVICE = "orders.v1.Orders";

    private final HealthBackends backends = HealthBackends.withHealthStatusManagers(3);
    private Sample sample;
    private LbChannel orders;

    @BeforeEach
    void start() {
        for (int i = 0; i < 3; i++) {
            backends.setStatus(i, SERVICE, ServingStatus.SERVING);
        }
        sample = Sample.start("health-checking", "orders.addresses=127.0.0.1:" + backends.port(0)
                + ",127.0.0.1:" + backends.port(1) + ",127.0.0.1:" + backends.port(2));
        orders = sample.channel("orders");
        orders.getState(true);
        Await.until("three SERVING subchannels", () -> orders.snapshot().subchannels().stream()
                .filter(s -> s.health().state() == SubchannelHealth.State.SERVING).count() == 3);
    }

    @AfterEach
    void stop() {
        sample.close();
        backends.close();
    }

    @Test
    void theServiceConfigBindsAsWrittenAndEveryServingBackendTakesItsTurn() {
        assertThat(orders.snapshot().lbPolicy()).isEqualTo("round_robin");
        assertThat(orders.snapshot().subchannels()).allSatisfy(s ->
                assertThat(s.health().serviceName()).isEqualTo(SERVICE));

        calls(30);

        for (int i = 0; i < 3; i++) {
            assertThat(served(i)).as("backend %d", i).isBetween(9, 11);
        }
        assertThat(orders.snapshot().trace()).noneSatisfy(e -> assertThat(e.description()).contains("not acted on"));
    }

    @Test
    void aBackendThatStopsServingGetsNoCallsButKeepsItsConnection() {
        backends.setStatus(2, SERVICE, ServingStatus.NOT_SERVING);
        Await.until("backend 2 unhealthy", () -> orders.snapshot().subchannels().stream()
                .anyMatch(s -> s.addresses().contains("127.0.0.1:" + backends.port(2)) && s.health().isUnhealthy()));
        sample.servedBy().reset();

        calls(30);

        assertThat(served(2)).isZero();
        assertThat(served(0) + served(1)).isEqualTo(30);
        assertThat(orders.snapshot().subchannels()).extracting(s -> s.state())
                .containsOnly(ConnectivityState.READY);
    }

    private void calls(int count) {
        var stub = TestServiceGrpc.newBlockingStub(orders);
        for (int i = 0; i < count; i++) {
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        }
    }

    private int served(int backend) {
        return sample.servedBy().served("127.0.0.1:" + backends.port(backend));
    }
}
