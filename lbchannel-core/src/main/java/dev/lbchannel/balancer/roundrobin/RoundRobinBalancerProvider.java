package dev.lbchannel.balancer.roundrobin;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;

import java.util.Map;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code round_robin} policy: a subchannel per endpoint, RPCs spread over the READY ones in
 * turn; with ours on top, an optional slow start for endpoints that become READY later:
 * <pre>{@code {"round_robin": {"slowStartConfig": {"slowStartWindow": "30s"}}}}</pre>
 * Stateless and thread-safe.
 */
public final class RoundRobinBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "round_robin";

    private final LongSupplier clock;

    public RoundRobinBalancerProvider() {
        this(System::nanoTime);
    }

    /** With a clock of one's own, in nanoseconds, for tests. */
    RoundRobinBalancerProvider(LongSupplier clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String policyName() {
        return POLICY_NAME;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new RoundRobinBalancer(helper, clock);
    }

    /** A {@link RoundRobinConfig}. */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        return RoundRobinConfig.parse(rawConfig);
    }
}
