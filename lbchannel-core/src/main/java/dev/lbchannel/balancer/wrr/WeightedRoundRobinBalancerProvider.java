package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;

import java.util.Map;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code weighted_round_robin} policy (gRFC A58, with A114's metric names), fed by the load
 * reports (ORCA, gRFC A51) of its backends:
 * <pre>{@code {"loadBalancingConfig": [{"weighted_round_robin": {
 *     "blackoutPeriod": "10s", "weightExpirationPeriod": "180s", "weightUpdatePeriod": "1s",
 *     "errorUtilizationPenalty": 1.0, "enableOobLoadReport": false, "oobReportingPeriod": "10s"}}]}}</pre>
 * Each READY endpoint's weight is {@code qps / (utilization + eps / qps * errorUtilizationPenalty)}
 * from its latest report; calls are spread in proportion to the weights, endpoints without one
 * getting the mean, and as round_robin while fewer than two have one. Stateless and thread-safe.
 */
public final class WeightedRoundRobinBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "weighted_round_robin";

    private final LongSupplier clock;

    public WeightedRoundRobinBalancerProvider() {
        this(System::nanoTime);
    }

    /** With a clock of one's own (nanoseconds), for tests. */
    WeightedRoundRobinBalancerProvider(LongSupplier clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String policyName() {
        return POLICY_NAME;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new WeightedRoundRobinBalancer(helper, clock);
    }

    /** A {@link WeightedRoundRobinConfig}. */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        return WeightedRoundRobinConfigParser.parse(rawConfig);
    }
}
