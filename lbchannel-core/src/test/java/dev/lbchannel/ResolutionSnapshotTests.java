package dev.lbchannel;

import dev.lbchannel.channelz.ResolutionStats;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot shows what the resolver reported (when, how many endpoints, the last error) and the
 * resolver's own details, so a registry that stopped answering is visible while the channel keeps
 * its last endpoints; the figures outlive the resolver that made them.
 */
@Timeout(30)
class ResolutionSnapshotTests {

    private final ManualResolverProvider registry = new ManualResolverProvider("registry");
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdown();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void showsResultsErrorsAndTheResolversDetails() {
        channel = LbChannelBuilder.forTarget("registry:///orders").usePlaintext().resolverProvider(registry).build();
        assertThat(channel.snapshot().resolution()).isEqualTo(ResolutionStats.NONE);

        channel.getState(true);
        registry.details(Map.of("revision", 42L, "watch", "CONNECTED"));
        registry.update(1, 2);   // nothing listens there; the figures are what count
        Await.until("the result is recorded", () -> channel.snapshot().resolution().updates() == 1);
        ResolutionStats resolved = channel.snapshot().resolution();
        assertThat(resolved.endpoints()).isEqualTo(2);
        assertThat(resolved.lastUpdate()).isNotNull();
        assertThat(resolved.errors()).isZero();
        assertThat(resolved.resolver()).containsEntry("revision", 42L).containsEntry("watch", "CONNECTED");

        registry.error(Status.UNAVAILABLE.withDescription("registry unreachable"));
        Await.until("the error is recorded", () -> channel.snapshot().resolution().errors() == 1);
        ResolutionStats failing = channel.snapshot().resolution();
        assertThat(failing.lastError()).isEqualTo("UNAVAILABLE: registry unreachable");
        assertThat(failing.lastErrorTime()).isNotNull();
        assertThat(failing.endpoints()).as("the last endpoints are kept").isEqualTo(2);
        assertThat(failing.updates()).isEqualTo(1);
    }
}
