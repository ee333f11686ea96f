package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.slowstart.SlowStartConfig;
import dev.lbchannel.balancer.slowstart.SlowStartHelper;
import dev.lbchannel.orca.OrcaLoadReport;
import dev.lbchannel.orca.OrcaMessages;
import dev.lbchannel.orca.OrcaPerCallReports;
import dev.lbchannel.testing.FakeBalancerHelper;
import dev.lbchannel.testing.FakeBalancerHelper.WeightUpdate;
import dev.lbchannel.testing.FakeSubchannel;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code weighted_round_robin} on fake subchannels, the real serializer and a fake clock: weights
 * from per-call and out-of-band reports, A58's blackout and expiry, round-robin fallback, the
 * reported counts (A78) and the weight channelz shows.
 */
@Timeout(10)
class WrrBalancerTests {

    private static final ConnectivityStateInfo READY = ConnectivityStateInfo.forNonError(ConnectivityState.READY);
    private static final ConnectivityStateInfo IDLE = ConnectivityStateInfo.forNonError(ConnectivityState.IDLE);
    /** Equal qps, utilizations giving weights 1 : 2 : 3. */
    private static final double[] UTILIZATION = {0.6, 0.3, 0.2};

    private final FakeBalancerHelper helper = new FakeBalancerHelper();
    private final WeightedRoundRobinBalancerProvider provider =
            new WeightedRoundRobinBalancerProvider(helper.clock()::nowNanos);
    private Balancer balancer;

    @AfterEach
    void noUncaughtExceptions() {
        helper.serializer().execute(() -> balancer.shutdown());
        assertThat(helper.uncaught()).isEmpty();
    }

    private void accept(WeightedRoundRobinConfig config) {
        helper.serializer().execute(() -> {
            if (balancer == null) {
                balancer = provider.newBalancer(helper);
            }
            balancer.acceptResolvedEndpoints(new ResolvedEndpoints(List.of(endpoint(1), endpoint(2), endpoint(3)),
                    config, Attributes.EMPTY));
        });
    }

    private void threeReady(WeightedRoundRobinConfig config) {
        accept(config);
        helper.subchannels().forEach(s -> s.report(READY));
    }

    private static WeightedRoundRobinConfig config(boolean oob) {
        return new WeightedRoundRobinConfig(Duration.ofSeconds(10), Duration.ofMinutes(3), Duration.ofSeconds(1),
                1.0f, oob, Duration.ofSeconds(5), List.of());
    }

    private static OrcaLoadReport load(double utilization) {
        return OrcaLoadReport.builder().qps(100).cpuUtilization(utilization).build();
    }

    /** Ends one call on each endpoint, with its per-call report in the trailers. */
    private void reportPerCall(double... utilizations) {
        for (int i = 0; i < 3; i++) {
            endCall(i, load(utilizations[i]));
        }
    }

    /** Ends one call on endpoint {@code i} with {@code report} in its trailers. */
    private void endCall(int i, OrcaLoadReport report) {
        Metadata trailers = new Metadata();
        trailers.put(OrcaPerCallReports.TRAILER, OrcaMessages.encodeReport(report));
        resultFor(i).outcomeListener().onCallEnded(Status.OK, trailers);
    }

    /** The result the current picker returns for endpoint {@code i}. */
    private PickResult resultFor(int i) {
        for (int tries = 0; tries < 1000; tries++) {
            PickResult result = helper.picker().pick(null);
            if (index(result.subchannel()) == i) {
                return result;
            }
        }
        throw new AssertionError("endpoint " + i + " never picked");
    }

    private int index(Subchannel picked) {
        Subchannel s = picked;
        while (s instanceof ForwardingSubchannel f) {
            s = f.delegate();
        }
        return helper.subchannels().indexOf((FakeSubchannel) s);
    }

    private int[] split(int picks) {
        int[] counts = new int[3];
        for (int i = 0; i < picks; i++) {
            counts[index(helper.picker().pick(null).subchannel())]++;
        }
        return counts;
    }

    private void forwardSeconds(int seconds) {
        helper.clock().forward(seconds, TimeUnit.SECONDS);
    }

    private static void assertSplit(int[] counts, double... shares) {
        int total = counts[0] + counts[1] + counts[2];
        for (int i = 0; i < 3; i++) {
            assertThat((double) counts[i] / total).as("share of endpoint %d in %s", i, java.util.Arrays.toString(counts))
                    .isCloseTo(shares[i], within(0.02));
        }
    }

    @Test
    void perCallReportsWeighTheEndpointsAfterTheBlackout() {
        threeReady(config(false));
        reportPerCall(UTILIZATION);
        forwardSeconds(5);
        assertSplit(split(6000), 1 / 3.0, 1 / 3.0, 1 / 3.0);   // still in the blackout: round robin

        reportPerCall(UTILIZATION);
        forwardSeconds(6);   // 11 s after the first reports

        assertSplit(split(6000), 1 / 6.0, 2 / 6.0, 3 / 6.0);
        assertThat(helper.gauge(helper.subchannels().get(0), WeightedSubchannelHelper.GAUGE)).isEqualTo(167);
        assertThat(helper.gauge(helper.subchannels().get(2), WeightedSubchannelHelper.GAUGE)).isEqualTo(500);
    }

    @Test
    void eachUpdateIsReportedWithItsNotYetUsableAndStaleEndpoints() {
        threeReady(config(false));
        helper.weightUpdates().clear();
        forwardSeconds(1);
        assertThat(helper.weightUpdates()).last().isEqualTo(new WeightUpdate(3, 0, true));

        reportPerCall(UTILIZATION);
        forwardSeconds(11);
        assertThat(helper.weightUpdates()).last().isEqualTo(new WeightUpdate(0, 0, false));

        forwardSeconds(180);   // no report for the expiration period
        assertThat(helper.weightUpdates()).last().isEqualTo(new WeightUpdate(0, 3, true));
        assertSplit(split(6000), 1 / 3.0, 1 / 3.0, 1 / 3.0);
        assertThat(helper.gauge(helper.subchannels().get(2), WeightedSubchannelHelper.GAUGE)).isZero();
    }

    @Test
    void anExpiredWeightWaitsOutANewBlackout() {
        threeReady(config(false));
        reportPerCall(UTILIZATION);
        forwardSeconds(181);   // expired
        reportPerCall(UTILIZATION);
        forwardSeconds(5);
        assertSplit(split(6000), 1 / 3.0, 1 / 3.0, 1 / 3.0);

        reportPerCall(UTILIZATION);
        forwardSeconds(6);
        assertSplit(split(6000), 1 / 6.0, 2 / 6.0, 3 / 6.0);
    }

    @Test
    void reconnectingRestartsTheBlackout() {
        threeReady(config(false));
        reportPerCall(UTILIZATION);
        forwardSeconds(11);
        assertSplit(split(6000), 1 / 6.0, 2 / 6.0, 3 / 6.0);

        FakeSubchannel third = helper.subchannels().get(2);
        third.report(IDLE);
        third.report(READY);
        forwardSeconds(1);

        // Endpoint 2 has no usable weight: it gets the mean of the other two (1.5 of 1 + 2).
        assertSplit(split(6000), 1 / 4.5, 2 / 4.5, 1.5 / 4.5);
    }

    @Test
    void aRestartedEndpointsWeightIsMultipliedByItsSlowStartFactor() {
        WeightedRoundRobinConfig plain = config(false);
        threeReady(new WeightedRoundRobinConfig(plain.blackoutPeriod(), plain.weightExpirationPeriod(),
                plain.weightUpdatePeriod(), 1.0f, false, plain.oobReportingPeriod(), List.of(),
                new SlowStartConfig(Duration.ofSeconds(10), 1.0, 10)));
        reportPerCall(UTILIZATION);
        forwardSeconds(11);
        FakeSubchannel third = helper.subchannels().get(2);
        third.report(IDLE);
        third.report(READY);
        forwardSeconds(1);

        // Endpoint 2 has no usable weight: the mean of the other two (1.5), times 0.1 at first
        assertThat(helper.gauge(third, SlowStartHelper.GAUGE)).isEqualTo(10);
        assertSplit(split(6000), 1 / 3.15, 2 / 3.15, 0.15 / 3.15);
        forwardSeconds(4);
        assertThat(helper.gauge(third, SlowStartHelper.GAUGE)).isEqualTo(50);
        assertSplit(split(6000), 1 / 3.75, 2 / 3.75, 0.75 / 3.75);
        forwardSeconds(5);
        assertSplit(split(6000), 1 / 4.5, 2 / 4.5, 1.5 / 4.5);
    }

    @Test
    void onlyOneWeightedEndpointIsRoundRobin() {
        threeReady(config(false));
        endCall(0, load(0.1));
        forwardSeconds(11);

        assertThat(helper.weightUpdates()).last().isEqualTo(new WeightUpdate(2, 0, true));
        assertSplit(split(6000), 1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    @Test
    void errorsCountAgainstAnEndpoint() {
        threeReady(config(false));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3; i++) {
                // Same utilization; endpoint 0 fails half its calls: 100 / (0.5 + 0.5 * 1.0) = 100 vs 200.
                endCall(i, OrcaLoadReport.builder().qps(100).cpuUtilization(0.5).eps(i == 0 ? 50 : 0).build());
            }
            forwardSeconds(10);
        }

        assertSplit(split(5000), 1 / 5.0, 2 / 5.0, 2 / 5.0);
    }

    @Test
    void outOfBandReportsWeighTheEndpointsAndPerCallOnesAreNotRead() {
        threeReady(config(true));

        assertThat(helper.oobWatches()).hasSize(3).allSatisfy(w -> assertThat(w.interval).isEqualTo(Duration.ofSeconds(5)));
        assertThat(resultFor(0).outcomeListener()).isNull();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3; i++) {
                helper.reportOutOfBand(helper.subchannels().get(i), load(UTILIZATION[i]));
            }
            forwardSeconds(6);
        }

        assertSplit(split(6000), 1 / 6.0, 2 / 6.0, 3 / 6.0);
    }

    @Test
    void turningOutOfBandReportsOffOrChangingTheirPeriodFollowsTheConfig() {
        threeReady(config(true));
        List<FakeBalancerHelper.OobWatch> first = List.copyOf(helper.oobWatches());

        accept(new WeightedRoundRobinConfig(Duration.ofSeconds(10), Duration.ofMinutes(3), Duration.ofSeconds(1),
                1.0f, true, Duration.ofSeconds(2), List.of()));
        assertThat(first).allSatisfy(w -> assertThat(w.cancelled()).isTrue());
        assertThat(helper.oobWatches()).hasSize(6).last().satisfies(w -> assertThat(w.interval).isEqualTo(Duration.ofSeconds(2)));

        accept(config(false));
        assertThat(helper.oobWatches()).allSatisfy(w -> assertThat(w.cancelled()).isTrue());
        assertThat(resultFor(1).outcomeListener()).isNotNull();
    }

    @Test
    void a114MetricNamesChooseTheUtilization() {
        threeReady(new WeightedRoundRobinConfig(Duration.ZERO, Duration.ofMinutes(3), Duration.ofSeconds(1), 1.0f,
                false, Duration.ofSeconds(10), List.of("named_metrics.queue.depth", "utilization.disk")));
        double[][] metrics = {{0.6, 0.1}, {0.1, 0.3}, {0, 0}};   // max of the two; none: cpu
        for (int i = 0; i < 3; i++) {
            endCall(i, OrcaLoadReport.builder().qps(100).cpuUtilization(0.2)
                    .namedMetric("queue.depth", metrics[i][0]).utilization("disk", metrics[i][1]).build());
        }
        forwardSeconds(1);

        assertSplit(split(6000), 1 / 6.0, 2 / 6.0, 3 / 6.0);
    }

    @Test
    void removedEndpointsStopTheirOutOfBandStreams() {
        threeReady(config(true));
        helper.serializer().execute(() -> balancer.acceptResolvedEndpoints(new ResolvedEndpoints(
                List.of(endpoint(1)), config(true), Attributes.EMPTY)));

        assertThat(helper.oobWatches().subList(1, 3)).allSatisfy(w -> assertThat(w.cancelled()).isTrue());
        assertThat(helper.oobWatches().get(0).cancelled()).isFalse();
        assertThat(helper.subchannels().get(1).isShutdown()).isTrue();
    }
}
