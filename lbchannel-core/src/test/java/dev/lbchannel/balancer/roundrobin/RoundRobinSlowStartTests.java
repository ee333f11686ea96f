package dev.lbchannel.balancer.roundrobin;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
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

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * round_robin's slow start on fake subchannels with a fake clock: the first endpoints warm up
 * without a ramp, a scale-up or a restart ramps along the curve, picks follow the factors, and
 * the plain rotation comes back at the window's end.
 */
@Timeout(10)
class RoundRobinSlowStartTests {

    private static final ConnectivityStateInfo READY = ConnectivityStateInfo.forNonError(ConnectivityState.READY);
    private static final String TEN_SECONDS = "{\"slowStartConfig\": {\"slowStartWindow\": \"10s\"}}";

    private final FakeBalancerHelper helper = new FakeBalancerHelper();
    private final RoundRobinBalancerProvider provider = new RoundRobinBalancerProvider(helper.clock()::nowNanos);
    private Balancer balancer;

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(helper.uncaught()).isEmpty();
    }

    private void accept(String json, int endpoints) {
        Object config = provider.parseConfig(Json.parseObject(json));
        List<Endpoint> list = IntStream.range(0, endpoints).mapToObj(FakeBalancerHelper::endpoint).toList();
        helper.serializer().execute(() -> {
            if (balancer == null) {
                balancer = provider.newBalancer(helper);
            }
            balancer.acceptResolvedEndpoints(new ResolvedEndpoints(list, config, Attributes.EMPTY));
        });
    }

    private FakeSubchannel sub(int i) {
        return helper.subchannels().get(i);
    }

    /** How many of {@code picks} went to each endpoint. */
    private int[] spread(int picks) {
        int[] counts = new int[helper.subchannels().size()];
        for (int i = 0; i < picks; i++) {
            Subchannel picked = helper.pick().subchannel();
            counts[helper.subchannels().indexOf(unwrap(picked))]++;
        }
        return counts;
    }

    private static Subchannel unwrap(Subchannel s) {
        Subchannel current = s;
        while (current instanceof dev.lbchannel.balancer.ForwardingSubchannel f) {
            current = f.delegate();
        }
        return current;
    }

    private long gauge(int i) {
        return helper.gauge(sub(i), SlowStartHelper.GAUGE);
    }

    @Test
    void theFirstEndpointsWarmUpTogetherWithoutARamp() {
        accept(TEN_SECONDS, 3);
        sub(0).report(READY);
        helper.clock().forward(1, TimeUnit.SECONDS);
        sub(1).report(READY);
        sub(2).report(READY);
        assertThat(gauge(1)).isEqualTo(100);
        assertThat(helper.picker()).isInstanceOf(RoundRobinPicker.class);
        assertThat(helper.clock().pendingDelaysNanos()).isEmpty();
    }

    @Test
    void aScaledUpEndpointRampsAlongTheCurveAndTheRotationComesBackAtTheEnd() {
        accept(TEN_SECONDS, 3);
        IntStream.range(0, 3).forEach(i -> sub(i).report(READY));
        accept(TEN_SECONDS, 4);
        sub(3).report(READY);
        assertThat(gauge(3)).isEqualTo(10);
        assertThat(gauge(0)).isEqualTo(100);
        assertThat(helper.picker()).isInstanceOf(WeightedPicker.class);
        // weights 1, 1, 1, 0.1: the new one takes 0.1 / 3.1 of the calls
        assertThat(spread(3100)[3]).isBetween(90, 110);

        helper.clock().forward(5, TimeUnit.SECONDS); // the timer rebuilt the picker on the way
        assertThat(gauge(3)).isEqualTo(50);
        assertThat(spread(3500)[3]).isBetween(480, 520); // 0.5 / 3.5

        helper.clock().forward(5, TimeUnit.SECONDS);
        assertThat(gauge(3)).isEqualTo(100);
        assertThat(helper.picker()).isInstanceOf(RoundRobinPicker.class);
        assertThat(helper.clock().pendingDelaysNanos()).as("no timer once the ramp is over").isEmpty();
    }

    @Test
    void aRestartedEndpointRampsAgain() {
        accept("{\"slowStartConfig\": {\"slowStartWindow\": \"10s\", \"aggression\": 2, \"minWeightPercent\": 0}}", 2);
        sub(0).report(READY);
        sub(1).report(READY);
        sub(1).report(ConnectivityStateInfo.forTransientFailure(Status.UNAVAILABLE));
        sub(1).report(READY);
        helper.clock().forward(2500, TimeUnit.MILLISECONDS);
        assertThat(gauge(1)).as("(1/4) ^ (1/2)").isEqualTo(50);
        assertThat(spread(1500)[1]).isBetween(480, 520); // 0.5 / 1.5
    }

    @Test
    void withoutSlowStartConfigNothingRamps() {
        accept("{}", 2);
        sub(0).report(READY);
        sub(1).report(ConnectivityStateInfo.forTransientFailure(Status.UNAVAILABLE));
        sub(1).report(READY);
        assertThat(gauge(1)).isEqualTo(100);
        assertThat(helper.picker()).isInstanceOf(RoundRobinPicker.class);
    }
}
