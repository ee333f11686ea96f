package dev.lbchannel.balancer.peakewma;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code peak_ewma} policy (ours, after Finagle's Peak-EWMA):
 * <pre>{@code {"loadBalancingConfig": [{"peak_ewma": {"decayTime": "10s", "choiceCount": 2}}]}}</pre>
 * Each pick samples {@code choiceCount} READY endpoints at random and sends the call to the one
 * whose peak-sensitive average latency times its calls in flight (plus one) is least; see
 * {@link PeakEwmaConfig} for the fields. Stateless and thread-safe.
 */
public final class PeakEwmaBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "peak_ewma";

    private final IntUnaryOperator random;
    private final LongSupplier clock;

    public PeakEwmaBalancerProvider() {
        this(bound -> ThreadLocalRandom.current().nextInt(bound), System::nanoTime);
    }

    /** With sampling and a clock of one's own, for tests: given a bound, an index below it; nanoseconds. */
    PeakEwmaBalancerProvider(IntUnaryOperator random, LongSupplier clock) {
        this.random = requireNonNull(random, "random");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String policyName() {
        return POLICY_NAME;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new PeakEwmaBalancer(helper, random, clock);
    }

    /** A {@link PeakEwmaConfig}. */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        return PeakEwmaConfig.parse(rawConfig);
    }
}
