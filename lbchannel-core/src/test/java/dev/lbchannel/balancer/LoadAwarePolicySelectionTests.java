package dev.lbchannel.balancer;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.config.Json;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code least_request}, {@code ring_hash}, {@code peak_ewma} and {@code random_subsetting} are
 * chosen the ways every policy is: by the builder's default policy, and by a service config the
 * resolver delivers (as DNS TXT records do), under either of their names; a bad block is named
 * when the channel is built.
 */
@Timeout(60)
class LoadAwarePolicySelectionTests {

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private final List<TestBackend> backends = List.of(TestBackend.plaintext(), TestBackend.plaintext());
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.forEach(TestBackend::close);
    }

    private int[] ports() {
        return backends.stream().mapToInt(TestBackend::port).toArray();
    }

    private void call() {
        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
    }

    @Test
    void theBuildersDefaultPolicyMayBeRingHashWithItsDefaults() {
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .defaultLoadBalancingPolicy("ring_hash").build();
        resolver.update(ports());
        call(); // no hash option and no header: a random hash, connecting one backend
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("ring_hash");
    }

    @Test
    void aServiceConfigFromTheResolverSelectsLeastRequestUnderA48sName() {
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver).build();
        resolver.update(ManualResolverProvider.endpoints(ports()), Json.parseObject(
                "{\"loadBalancingConfig\": [{\"least_request_experimental\": {\"choiceCount\": 3}}]}"));
        call();
        Await.until("least_request_experimental in use", Duration.ofSeconds(20),
                () -> channel.snapshot().lbPolicy().equals("least_request_experimental"));
        assertThat(channel.snapshot().subchannels()).allSatisfy(s ->
                assertThat(s.balancer()).containsKey("outstandingCalls"));
    }

    @Test
    void theBuildersDefaultPolicyMayBePeakEwmaWithItsDefaults() {
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .defaultLoadBalancingPolicy("peak_ewma").build();
        resolver.update(ports());
        call();
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("peak_ewma");
        Await.until("a latency sample in channelz", Duration.ofSeconds(20), () -> channel.snapshot().subchannels()
                .stream().anyMatch(s -> s.balancer().getOrDefault("ewmaLatencyMicros", -1L) >= 0));
    }

    @Test
    void aServiceConfigFromTheResolverSelectsRandomSubsettingUnderA68sName() {
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver).build();
        resolver.update(ManualResolverProvider.endpoints(ports()), Json.parseObject(
                "{\"loadBalancingConfig\": [{\"random_subsetting_experimental\": {\"subsetSize\": 1,"
                        + " \"childPolicy\": [{\"round_robin\": {\"slowStartConfig\": {\"slowStartWindow\": \"5s\"}}}]}}]}"));
        call();
        Await.until("random_subsetting_experimental in use", Duration.ofSeconds(20),
                () -> channel.snapshot().lbPolicy().equals("random_subsetting_experimental"));
        assertThat(channel.snapshot().subchannels()).singleElement().satisfies(s ->
                assertThat(s.balancer()).containsEntry("slowStartFactor", 100L));
    }

    @Test
    void aBadDefaultBlockIsNamedWhenTheChannelIsBuilt() {
        assertThatIllegalArgumentException().isThrownBy(() -> LbChannelBuilder.forTarget("manual:///backends")
                        .usePlaintext().resolverProvider(resolver)
                        .defaultServiceConfig(Json.parseObject(
                                "{\"loadBalancingConfig\": [{\"ring_hash\": {\"maxRingSize\": 0}}]}"))
                        .build())
                .withMessageContaining("loadBalancingConfig[0].ring_hash.maxRingSize must be a whole number from 1 to"
                        + " 8388608, was 0");
    }
}
