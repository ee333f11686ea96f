package dev.lbchannel.balancer.peakewma;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.Json;
import dev.lbchannel.testing.FakeBalancerHelper;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code peak_ewma} on fake subchannels with a fake clock and scripted sampling: the peak rule and
 * the decay, the choice by latency times calls in flight, new endpoints, failures and the config.
 */
@Timeout(10)
class PeakEwmaTests {

    private static final long MS = 1_000_000;
    private static final double TAU = 10_000 * MS; // the default decayTime, 10 s

    private final FakeBalancerHelper helper = new FakeBalancerHelper();
    private final Deque<Integer> samples = new ArrayDeque<>();
    private final PeakEwmaBalancerProvider provider = new PeakEwmaBalancerProvider(bound -> samples.removeFirst(),
            () -> helper.clock().nowNanos());
    private Balancer balancer;

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(helper.uncaught()).isEmpty();
    }

    @Test
    void aHigherSampleIsTakenAtOnceALowerOneDecaysTowardItWithTime() {
        PeakEwma ewma = new PeakEwma();
        assertThat(ewma.hasSample()).isFalse();
        ewma.observe(10 * MS, 0, TAU);
        assertThat(ewma.lastNanos()).isEqualTo(10 * MS);
        ewma.observe(50 * MS, 1 * MS, TAU);
        assertThat(ewma.lastNanos()).as("the peak").isEqualTo(50 * MS);

        // a lower sample one decayTime later: weight exp(-1) on the old average
        ewma.observe(10 * MS, 1 * MS + (long) TAU, TAU);
        double w = Math.exp(-1);
        assertThat(ewma.lastNanos()).isCloseTo(50 * MS * w + 10 * MS * (1 - w), within(1.0));

        // a lower sample just after: almost no move
        double before = ewma.lastNanos();
        ewma.observe(0, 2 * MS + (long) TAU, TAU);
        assertThat(ewma.lastNanos()).isCloseTo(before * Math.exp(-MS / TAU), within(1.0)).isLessThan(before);
    }

    @Test
    void anAverageNotRefreshedDecaysTowardZeroWhenRead() {
        PeakEwma ewma = new PeakEwma();
        ewma.observe(100 * MS, 0, TAU);
        assertThat(ewma.nanosAt(0, TAU)).isEqualTo(100 * MS);
        assertThat(ewma.nanosAt((long) TAU, TAU)).isCloseTo(100 * MS * Math.exp(-1), within(1.0));
        assertThat(ewma.nanosAt((long) (5 * TAU), TAU)).isLessThan(MS);
        assertThat(ewma.lastNanos()).as("reading changes nothing").isEqualTo(100 * MS);
    }

    private void accept(String json, int endpoints) {
        Object config = provider.parseConfig(Json.parseObject(json));
        helper.serializer().execute(() -> {
            if (balancer == null) {
                balancer = provider.newBalancer(helper);
            }
            balancer.acceptResolvedEndpoints(new ResolvedEndpoints(
                    java.util.stream.IntStream.range(0, endpoints).mapToObj(i -> endpoint(i)).toList(),
                    config, Attributes.EMPTY));
        });
        helper.subchannels().forEach(s -> s.report(ConnectivityStateInfo.forNonError(ConnectivityState.READY)));
    }

    private FakeSubchannel pick(int... sampled) {
        for (int s : sampled) {
            samples.add(s);
        }
        PickResult result = helper.pick();
        assertThat(samples).as("samples left over").isEmpty();
        return (FakeSubchannel) ((EwmaSubchannel) result.subchannel()).delegate();
    }

    private CallOutcomeListener listener(int i) {
        for (int s = 0; s < 2; s++) {
            samples.add(i);
        }
        return helper.pick().outcomeListener();
    }

    /** One call on endpoint {@code i} that took {@code millis} and ended with {@code status}. */
    private void call(int i, long millis, Status status) {
        CallOutcomeListener listener = listener(i);
        listener.onCallStarted();
        listener.onCallEnded(status, new Metadata(), millis * MS);
    }

    @Test
    void thePickTakesTheSampledEndpointOfLeastLatencyTimesCallsInFlight() {
        accept("{}", 3);
        call(0, 10, Status.OK);
        call(1, 30, Status.OK);
        call(2, 10, Status.OK);
        assertThat(pick(0, 1)).isSameAs(helper.subchannels().get(0));
        assertThat(pick(1, 0)).isSameAs(helper.subchannels().get(0));

        // 10 ms with 3 in flight (cost 40) loses to 30 ms with none (cost 30)
        for (int n = 0; n < 3; n++) {
            listener(0).onCallStarted();
        }
        assertThat(pick(0, 1)).isSameAs(helper.subchannels().get(1));
        assertThat(helper.gauge(helper.subchannels().get(0), EwmaSubchannelHelper.OUTSTANDING_GAUGE)).isEqualTo(3);
        assertThat(helper.gauge(helper.subchannels().get(1), EwmaSubchannelHelper.LATENCY_GAUGE)).isEqualTo(30_000);
        assertThat(pick(2, 0)).as("a tie keeps the first sample").isSameAs(helper.subchannels().get(2));
    }

    @Test
    void aPassedOverEndpointIsTriedAgainAsItsPeakDecays() {
        accept("{\"decayTime\": \"1s\"}", 2);
        call(0, 10, Status.OK);
        call(1, 500, Status.OK);
        listener(0).onCallStarted(); // endpoint 0 stays busy with one call: 10 ms × 2
        assertThat(pick(1, 0)).isSameAs(helper.subchannels().get(0));

        // endpoint 0 keeps answering in 10 ms; endpoint 1's unrefreshed 500 ms decays
        helper.clock().forward(2, TimeUnit.SECONDS);
        call(0, 10, Status.OK);
        assertThat(pick(1, 0)).as("500 ms × e^-2 ≈ 68 ms > 20 ms").isSameAs(helper.subchannels().get(0));
        helper.clock().forward(2, TimeUnit.SECONDS);
        call(0, 10, Status.OK);
        assertThat(pick(0, 1)).as("500 ms × e^-4 ≈ 9 ms < 20 ms").isSameAs(helper.subchannels().get(1));
    }

    @Test
    void aNewEndpointIsTriedAtOnceButGetsNoSecondCallBeforeItsFirstAnswer() {
        accept("{\"penaltyLatency\": \"2s\"}", 2);
        call(0, 100, Status.OK);
        assertThat(pick(0, 1)).as("no sample, nothing in flight: cost 0").isSameAs(helper.subchannels().get(1));
        listener(1).onCallStarted();
        assertThat(pick(1, 0)).as("no sample, one in flight: the penalty").isSameAs(helper.subchannels().get(0));
        assertThat(helper.gauge(helper.subchannels().get(1), EwmaSubchannelHelper.LATENCY_GAUGE)).isEqualTo(-1);
    }

    @Test
    void failuresCountAsSlowAndCancellationsNotAtAll() {
        accept("{\"penaltyLatency\": \"1s\"}", 2);
        call(0, 10, Status.OK);
        call(0, 1, Status.UNAVAILABLE);
        assertThat(latencyOf(0)).as("twice the average, at once").isCloseTo(20 * MS, within(1.0));
        call(0, 1, Status.INTERNAL);
        call(0, 1, Status.INTERNAL);
        assertThat(latencyOf(0)).isCloseTo(80 * MS, within(1.0));
        for (int n = 0; n < 10; n++) {
            call(0, 1, Status.DEADLINE_EXCEEDED);
        }
        assertThat(latencyOf(0)).as("capped at the penalty").isCloseTo(1000 * MS, within(1.0));

        call(1, 5, Status.NOT_FOUND);
        assertThat(latencyOf(1)).as("an application's answer is a latency").isEqualTo(5 * MS);
        call(1, 5000, Status.CANCELLED);
        assertThat(latencyOf(1)).isEqualTo(5 * MS);
        call(1, 1, Status.UNAVAILABLE);
        assertThat(latencyOf(1)).isCloseTo(10 * MS, within(1.0));
        assertThat(helper.gauge(helper.subchannels().get(1), EwmaSubchannelHelper.OUTSTANDING_GAUGE)).isZero();
    }

    private double latencyOf(int i) {
        samples.add(i);
        samples.add(i);
        return ((EwmaSubchannel) helper.pick().subchannel()).latency().lastNanos();
    }

    @Test
    void theConfigNamesWhatIsWrong() {
        assertThat(provider.parseConfig(Json.parseObject("{}"))).isEqualTo(PeakEwmaConfig.DEFAULT);
        assertThat(provider.parseConfig(Json.parseObject(
                "{\"decayTime\": \"2.5s\", \"choiceCount\": 12, \"penaltyLatency\": \"0.2s\"}")))
                .isEqualTo(new PeakEwmaConfig(Duration.ofMillis(2500), 10, Duration.ofMillis(200)));
        assertThatThrownBy(() -> provider.parseConfig(Json.parseObject("{\"decayTime\": \"0s\"}")))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessageContaining("decayTime must be greater than 0s, was \"0s\"");
        assertThatThrownBy(() -> provider.parseConfig(Json.parseObject("{\"penaltyLatency\": 5}")))
                .hasMessageContaining("penaltyLatency must be a duration such as \"10s\" or \"0.5s\", was 5");
        assertThatThrownBy(() -> provider.parseConfig(Json.parseObject("{\"choiceCount\": 1}")))
                .hasMessageContaining("choiceCount must be at least 2, was 1");
        assertThat(dev.lbchannel.balancer.BalancerRegistry.builtIns().policyNames()).contains("peak_ewma");
    }
}
