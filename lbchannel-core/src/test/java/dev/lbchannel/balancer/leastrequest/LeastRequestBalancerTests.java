package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.balancer.slowstart.SlowStartConfig;
import dev.lbchannel.balancer.slowstart.SlowStartHelper;
import dev.lbchannel.config.Json;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.testing.FakeBalancerHelper;
import dev.lbchannel.testing.FakeSubchannel;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code least_request} on fake subchannels with scripted sampling: A48's choice among the sampled
 * endpoints, its tie rule, counts that follow the calls' starts and ends, and round_robin's
 * states.
 */
@Timeout(10)
class LeastRequestBalancerTests {

    private static final ConnectivityStateInfo READY = ConnectivityStateInfo.forNonError(ConnectivityState.READY);

    private final FakeBalancerHelper helper = new FakeBalancerHelper();
    /** The indices the picker samples, in order; and the bounds it asked with. */
    private final Deque<Integer> samples = new ArrayDeque<>();
    private final List<Integer> bounds = new ArrayList<>();
    private final LeastRequestBalancerProvider provider = new LeastRequestBalancerProvider("least_request", bound -> {
        bounds.add(bound);
        return samples.removeFirst();
    });
    private Balancer balancer;
    private int choiceCount = 2;

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(helper.uncaught()).isEmpty();
    }

    private Status accept(List<Endpoint> endpoints, LeastRequestConfig config) {
        choiceCount = config == null ? 2 : config.choiceCount();
        Status[] result = new Status[1];
        helper.serializer().execute(() -> {
            if (balancer == null) {
                balancer = provider.newBalancer(helper);
            }
            result[0] = balancer.acceptResolvedEndpoints(new ResolvedEndpoints(endpoints, config, Attributes.EMPTY));
        });
        return result[0];
    }

    /** Three endpoints, all READY, with A48's two choices unless said otherwise. */
    private void threeReady(int choiceCount) {
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)), new LeastRequestConfig(choiceCount));
        helper.subchannels().forEach(s -> s.report(READY));
    }

    private FakeSubchannel sub(int i) {
        return helper.subchannels().get(i);
    }

    private PickResult pick(int... sampled) {
        for (int s : sampled) {
            samples.add(s);
        }
        PickResult result = helper.pick();
        assertThat(samples).as("samples left over").isEmpty();
        return result;
    }

    /** Which fake subchannel a pick chose. */
    private FakeSubchannel picked(PickResult result) {
        Subchannel subchannel = result.subchannel();
        assertThat(subchannel).isInstanceOf(CountedSubchannel.class);
        Subchannel current = subchannel;
        while (current instanceof ForwardingSubchannel wrapper) {
            current = wrapper.delegate(); // the count's wrapper, then slow start's
        }
        return (FakeSubchannel) current;
    }

    /** Starts {@code n} calls on the subchannel a pick of {@code index} alone would choose. */
    private void startCalls(int index, int n) {
        int[] sampled = new int[choiceCount];
        Arrays.fill(sampled, index);
        for (int i = 0; i < n; i++) {
            pick(sampled).outcomeListener().onCallStarted();
        }
    }

    @Test
    void subchannelsAreRoundRobinsOnesHealthCheckedAndConnectedAtOnce() {
        accept(List.of(endpoint(1), endpoint(2)), LeastRequestConfig.DEFAULT);
        assertThat(helper.subchannelOptions()).containsOnly(SubchannelOptions.HEALTH_CHECKED);
        assertThat(helper.subchannels()).allSatisfy(s -> assertThat(s.connectRequests()).isEqualTo(1));
        assertThat(helper.state()).isEqualTo(ConnectivityState.CONNECTING);
        assertThat(helper.pick().subchannel()).isNull();
    }

    @Test
    void thePickTakesTheSampledEndpointWithFewestOutstandingCalls() {
        threeReady(2);
        startCalls(0, 3);
        startCalls(1, 1);
        assertThat(picked(pick(0, 1))).isSameAs(sub(1));
        assertThat(picked(pick(1, 0))).isSameAs(sub(1));
        assertThat(picked(pick(0, 2))).isSameAs(sub(2));
        assertThat(bounds).containsOnly(3);
    }

    @Test
    void onATieTheFirstSampledStays() {
        threeReady(2);
        assertThat(picked(pick(2, 0))).isSameAs(sub(2));
        assertThat(picked(pick(0, 2))).isSameAs(sub(0));
        startCalls(1, 2);
        startCalls(2, 2);
        assertThat(picked(pick(2, 1))).isSameAs(sub(2));
    }

    @Test
    void choiceCountSamplesThatManyWithReplacement() {
        threeReady(4);
        startCalls(0, 2);
        startCalls(1, 1);
        bounds.clear();
        // the same endpoint may be sampled twice; the fewest of the four samples wins
        assertThat(picked(pick(0, 0, 1, 0))).isSameAs(sub(1));
        assertThat(picked(pick(0, 0, 0, 2))).isSameAs(sub(2));
        assertThat(bounds).hasSize(8).containsOnly(3);
    }

    @Test
    void theCountFollowsTheCallsStartsAndEndsNotThePicks() {
        threeReady(2);
        PickResult result = pick(1, 1);
        assertThat(helper.gauge(sub(1), "outstandingCalls")).isZero(); // a pick is not a call yet
        CallOutcomeListener listener = result.outcomeListener();
        listener.onCallStarted();
        listener.onCallStarted();
        assertThat(helper.gauge(sub(1), "outstandingCalls")).isEqualTo(2);
        listener.onCallEnded(Status.OK);
        listener.onCallEnded(Status.UNAVAILABLE); // whatever the status
        assertThat(helper.gauge(sub(1), "outstandingCalls")).isZero();
        assertThat(helper.gauge(sub(0), "outstandingCalls")).isZero();
    }

    @Test
    void aPickAllocatesNoResultOfItsOwn() {
        threeReady(2);
        assertThat(pick(1, 1)).isSameAs(pick(1, 1));
    }

    @Test
    void theCountOutlivesTheEndpointLeavingTheReadySet() {
        threeReady(2);
        startCalls(2, 2);
        sub(2).report(ConnectivityStateInfo.forTransientFailure(Status.UNAVAILABLE.withDescription("reset")));
        assertThat(picked(pick(1, 1))).isSameAs(sub(1)); // two READY left: indices 0..1
        assertThat(bounds).last().isEqualTo(2);
        sub(2).report(READY);
        assertThat(helper.gauge(sub(2), "outstandingCalls")).isEqualTo(2);
        assertThat(picked(pick(2, 0))).isSameAs(sub(0));
    }

    @Test
    void oneReadyEndpointNeedsNoSampling() {
        accept(List.of(endpoint(1), endpoint(2)), LeastRequestConfig.DEFAULT);
        sub(0).report(READY);
        assertThat(picked(pick())).isSameAs(sub(0));
        assertThat(bounds).isEmpty();
    }

    @Test
    void aNewChoiceCountRebuildsThePickerAtOnce() {
        threeReady(2);
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)), new LeastRequestConfig(3));
        startCalls(0, 1);
        startCalls(1, 1);
        assertThat(picked(pick(0, 1, 2))).isSameAs(sub(2));
    }

    @Test
    void aDuplicateEndpointGetsOneSubchannelAndNoExtraWeight() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(1)), LeastRequestConfig.DEFAULT);
        assertThat(helper.subchannels()).hasSize(2);
        helper.subchannels().forEach(s -> s.report(READY));
        pick(1, 0);
        assertThat(bounds).containsOnly(2);
    }

    @Test
    void aFailedEndpointCountsAsFailedUntilReadyAgainAsInRoundRobin() {
        accept(List.of(endpoint(1), endpoint(2)), LeastRequestConfig.DEFAULT);
        Status refused = Status.UNAVAILABLE.withDescription("refused");
        sub(0).report(ConnectivityStateInfo.forTransientFailure(refused));
        sub(1).report(ConnectivityStateInfo.forTransientFailure(refused));
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        sub(0).report(ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING));
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(helper.pick().status().getDescription()).contains("refused");
        sub(0).report(READY);
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void withoutAConfigBlockTheDefaultsApply() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)), null);
        helper.subchannels().forEach(s -> s.report(READY));
        pick(0, 1);
        assertThat(bounds).hasSize(2);
    }

    @Test
    void underOutlierDetectionBothPoliciesHearEveryCall() {
        BalancerRegistry registry = BalancerRegistry.builtIns().with(provider);
        Object config = registry.require("outlier_detection").parseConfig(Json.parseObject("""
                {"failurePercentageEjection": {}, "childPolicy": [{"least_request": {"choiceCount": 2}}]}"""),
                registry);
        helper.serializer().execute(() -> {
            balancer = registry.require("outlier_detection").newBalancer(helper);
            balancer.acceptResolvedEndpoints(new ResolvedEndpoints(List.of(endpoint(1), endpoint(2)), config,
                    Attributes.EMPTY));
        });
        helper.subchannels().forEach(s -> s.report(READY));
        PickResult result = pick(1, 1);
        Subchannel chosen = result.subchannel();
        CallOutcomeListener listener = result.outcomeListener();
        listener.onCallStarted();
        assertThat(helper.gauge(chosen, "outstandingCalls")).isEqualTo(1);
        assertThat(pick(0, 1).subchannel()).isNotSameAs(chosen);
        listener.onCallEnded(Status.OK);
        assertThat(helper.gauge(chosen, "outstandingCalls")).isZero();
    }

    @Test
    void aRampingEndpointCountsItsCallsDividedByItsSlowStartFactor() {
        // a long window on the real clock: the factor stays at its 10 % floor for 10 s
        LeastRequestConfig config = new LeastRequestConfig(2, new SlowStartConfig(Duration.ofSeconds(100), 1.0, 10));
        accept(List.of(endpoint(1), endpoint(2)), config);
        helper.subchannels().forEach(s -> s.report(READY));
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)), config);
        sub(2).report(READY);
        assertThat(helper.gauge(sub(2), SlowStartHelper.GAUGE)).isEqualTo(10);
        assertThat(helper.gauge(sub(0), SlowStartHelper.GAUGE)).isEqualTo(100);

        // While an endpoint ramps, the second sample is drawn from the two endpoints other than the
        // first sample's: after a first sample of 0, a drawn 1 stands for index 2.
        assertThat(picked(pick(2, 0))).as("idle, it costs (0 + 1) / 0.1 = 10").isSameAs(sub(0));
        for (int i = 0; i < 9; i++) {
            pick(0, 1).outcomeListener().onCallStarted(); // sub(0) costs 1 to 9, under the ramping one's 10
        }
        assertThat(picked(pick(2, 0))).as("a tie at 10 keeps the first sample").isSameAs(sub(2));
        pick(0, 1).outcomeListener().onCallStarted(); // the tie again: sub(0) stays, now 10 calls
        assertThat(picked(pick(0, 1))).as("11 against 10").isSameAs(sub(2));
    }

    @Test
    void aRampingEndpointAlwaysMeetsAnotherInAPick() {
        LeastRequestConfig config = new LeastRequestConfig(2, new SlowStartConfig(Duration.ofSeconds(100), 1.0, 10));
        accept(List.of(endpoint(1), endpoint(2)), config);
        helper.subchannels().forEach(s -> s.report(READY));
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)), config);
        sub(2).report(READY);
        bounds.clear();

        // With replacement, samples 2 and 2 would pick the ramping endpoint whatever its factor.
        assertThat(picked(pick(2, 1))).as("the second sample skips the first's index").isSameAs(sub(1));
        assertThat(picked(pick(1, 1))).as("after a first sample of 1, a drawn 1 stands for index 2").isSameAs(sub(1));
        assertThat(bounds).containsExactly(3, 2, 3, 2);
    }
}
