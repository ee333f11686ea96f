package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.samples.balancer.PreferredSubnetsConfiguration;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/custom-balancer.yml}: the {@code preferred_subnets} policy from
 * {@link PreferredSubnetsConfiguration}. Two backends on 127.0.0.2 and 127.0.0.3 play this
 * zone's replicas (the test sets the zone's subnet to 127.0.0.2/31), one on 127.0.0.1 the other
 * zone's.
 */
@Timeout(60)
class CustomBalancerSampleTests {

    private final TestBackend local1 = TestBackend.plaintextOn("127.0.0.2", 0);
    private final TestBackend local2 = TestBackend.plaintextOn("127.0.0.3", 0);
    private final TestBackend remote = TestBackend.plaintextOn("127.0.0.1", 0);
    private Sample sample;
    private LbChannel pricing;

    @BeforeEach
    void start() {
        String addresses = String.join(",", List.of(address(local1), address(local2), address(remote)));
        sample = Sample.start("custom-balancer", List.of(PreferredSubnetsConfiguration.class),
                "pricing.addresses=" + addresses, "pricing.zone-subnet=127.0.0.2/31");
        pricing = sample.channel("pricing");
    }

    @AfterEach
    void stop() {
        sample.close();
        local1.close();
        local2.close();
        remote.close();
    }

    @Test
    void callsStayInTheZoneWhileItHasReadyBackends() {
        ChannelConditions.awaitReadySubchannels(pricing, 3);
        sample.servedBy().reset();

        for (int i = 0; i < 20; i++) {
            call();
        }

        // A rotation over the two; a picker rebuilt while the last READY lands restarts it once.
        assertThat(served(local1) + served(local2)).isEqualTo(20);
        assertThat(served(local1)).isBetween(9, 11);
        assertThat(served(remote)).isZero();
        assertThat(pricing.snapshot().lbPolicy()).isEqualTo("preferred_subnets");
    }

    @Test
    void callsSpillOverWhileTheZoneIsDownAndComeBackWithIt() {
        ChannelConditions.awaitReadySubchannels(pricing, 3);
        local1.kill();
        local2.kill();

        callUntilServedBy(remote);
        local2.restart();
        callUntilServedBy(local2);

        // The remote backend stayed connected all along, but gets nothing once the zone is back.
        sample.servedBy().reset();
        for (int i = 0; i < 5; i++) {
            call();
        }
        assertThat(served(local2)).isEqualTo(5);
        assertThat(served(remote)).isZero();
    }

    private void callUntilServedBy(TestBackend backend) {
        sample.servedBy().reset();
        Await.until("a call served by " + address(backend), () -> {
            try {
                call();
            } catch (StatusRuntimeException e) {
                return false; // a call that met a connection as it was lost
            }
            return served(backend) > 0;
        });
    }

    private void call() {
        TestServiceGrpc.newBlockingStub(pricing).withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
    }

    private int served(TestBackend backend) {
        return sample.servedBy().served(address(backend));
    }

    private static String address(TestBackend backend) {
        return backend.address().getHostString() + ":" + backend.port();
    }
}
