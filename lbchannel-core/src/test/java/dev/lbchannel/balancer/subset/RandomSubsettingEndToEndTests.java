package dev.lbchannel.balancer.subset;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.config.Json;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ServerTransportFilter;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code random_subsetting} over round_robin against six grpc-java backends on loopback: with a
 * subset of three, exactly three backends ever see a connection or a call.
 */
@Timeout(120)
class RandomSubsettingEndToEndTests {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private final List<TestBackend> backends = new ArrayList<>();
    private final List<AtomicInteger> connections = new ArrayList<>();
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void onlyTheSubsetEverSeesConnectionsOrCalls() {
        for (int i = 0; i < 6; i++) {
            AtomicInteger accepted = new AtomicInteger();
            connections.add(accepted);
            backends.add(TestBackend.start(false, b -> b.addTransportFilter(new ServerTransportFilter() {
                @Override
                public Attributes transportReady(Attributes attributes) {
                    accepted.incrementAndGet();
                    return attributes;
                }
            })));
        }
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .defaultServiceConfig(Json.parseObject("{\"loadBalancingConfig\": [{\"random_subsetting\":"
                        + " {\"subsetSize\": 3, \"childPolicy\": [{\"round_robin\": {}}]}}]}"))
                .build();
        resolver.update(backends.stream().mapToInt(TestBackend::port).toArray());
        channel.getState(true);
        Await.until("3 READY subchannels", BOUND, () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == 3);

        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channel);
        for (int i = 0; i < 60; i++) {
            stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        }

        assertThat(channel.snapshot().subchannels()).hasSize(3);
        int withCalls = 0;
        int withConnections = 0;
        for (int i = 0; i < 6; i++) {
            int calls = backends.get(i).callsStarted();
            int accepted = connections.get(i).get();
            assertThat(calls > 0).as("backend %d: %d calls, %d connections", i, calls, accepted)
                    .isEqualTo(accepted > 0);
            if (calls > 0) {
                withCalls++;
                assertThat(calls).as("round_robin over the subset of 3").isEqualTo(20);
            }
            withConnections += accepted > 0 ? 1 : 0;
        }
        assertThat(withCalls).isEqualTo(3);
        assertThat(withConnections).isEqualTo(3);
    }
}
