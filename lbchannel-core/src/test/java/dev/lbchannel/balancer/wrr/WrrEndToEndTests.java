package dev.lbchannel.balancer.wrr;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.config.Json;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code weighted_round_robin} against grpc-java backends on loopback that report their load
 * through grpc-java's ORCA server support: with equal qps and utilizations 0.6, 0.3 and 0.2
 * (weights 1 : 2 : 3) the calls split 1 : 2 : 3, whether the reports come per call or out of
 * band; channelz shows the weights, and the snapshot counts the updates (A78).
 */
@Timeout(120)
class WrrEndToEndTests {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final double[] SHARES = {1 / 6.0, 2 / 6.0, 3 / 6.0};

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private OrcaBackends backends;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (backends != null) {
            backends.close();
        }
    }

    /** No blackout and quick updates, so the test waits for reports, not for A58's defaults. */
    private void open(boolean oob) {
        backends = new OrcaBackends(100, 0.6, 0.3, 0.2);
        String config = "{\"loadBalancingConfig\": [{\"weighted_round_robin\": {\"blackoutPeriod\": \"0s\","
                + " \"weightUpdatePeriod\": \"0.1s\", \"enableOobLoadReport\": " + oob
                + ", \"oobReportingPeriod\": \"0.1s\"}}]}";
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .defaultServiceConfig(Json.parseObject(config)).build();
        resolver.update(backends.ports());
        channel.getState(true);
        Await.until("3 READY subchannels", BOUND, () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == 3);
    }

    private void calls(int n) {
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channel);
        for (int i = 0; i < n; i++) {
            stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        }
    }

    /** Channelz's weight per backend, by port order. */
    private long[] weights() {
        List<SubchannelSnapshot> subs = channel.snapshot().subchannels();
        long[] weights = new long[3];
        int[] ports = backends.ports();
        for (SubchannelSnapshot s : subs) {
            for (int i = 0; i < 3; i++) {
                if (s.addresses().get(0).endsWith(":" + ports[i])) {
                    weights[i] = s.balancer().getOrDefault(WeightedSubchannelHelper.GAUGE, -1L);
                }
            }
        }
        return weights;
    }

    private void assertCallsFollowTheWeights() {
        Await.until("weights 167, 333, 500 in channelz", BOUND, () -> Arrays.equals(weights(), new long[] {167, 333, 500}));
        backends.resetCounts();
        int total = 1200;
        calls(total);

        int[] got = {backends.received(0), backends.received(1), backends.received(2)};
        for (int i = 0; i < 3; i++) {
            assertThat((double) got[i] / total).as("share of backend %d in %s", i, Arrays.toString(got))
                    .isCloseTo(SHARES[i], within(SHARES[i] * 0.1));
        }
    }

    @Test
    void perCallReportsSplitTheCallsByWeight() {
        open(false);
        // Per-call reports come only with calls: make some until every backend has reported.
        Await.until("every backend reported", BOUND, () -> {
            calls(30);
            return Arrays.stream(weights()).allMatch(w -> w > 0);
        });

        assertCallsFollowTheWeights();
        assertThat(channel.snapshot().weights().updates()).isPositive();
    }

    @Test
    void outOfBandReportsSplitTheCallsByWeight() {
        open(true);

        assertCallsFollowTheWeights();
        assertThat(channel.snapshot().weights().rrFallbacks()).isGreaterThanOrEqualTo(1);   // before the first reports
    }
}
