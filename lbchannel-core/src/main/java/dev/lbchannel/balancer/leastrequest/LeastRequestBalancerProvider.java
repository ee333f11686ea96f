package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code least_request} policy (gRFC A48), also registered under A48's own name
 * {@code least_request_experimental}:
 * <pre>{@code {"loadBalancingConfig": [{"least_request": {"choiceCount": 2}}]}}</pre>
 * Each pick samples {@code choiceCount} READY endpoints at random and sends the call to the one
 * with the fewest calls in flight. Stateless and thread-safe.
 */
public final class LeastRequestBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "least_request";

    /** The name gRFC A48 gives the policy, accepted as well. */
    public static final String EXPERIMENTAL_POLICY_NAME = "least_request_experimental";

    private final String policyName;
    private final IntUnaryOperator random;
    private final LongSupplier clock;

    public LeastRequestBalancerProvider() {
        this(POLICY_NAME);
    }

    /** The same policy under another name, such as {@link #EXPERIMENTAL_POLICY_NAME}. */
    public LeastRequestBalancerProvider(String policyName) {
        this(policyName, bound -> ThreadLocalRandom.current().nextInt(bound), System::nanoTime);
    }

    /** With random sampling of one's own, for tests: given a bound, an index below it. */
    LeastRequestBalancerProvider(String policyName, IntUnaryOperator random) {
        this(policyName, random, System::nanoTime);
    }

    /** With random sampling and a clock (nanoseconds, for slow start) of one's own, for tests. */
    LeastRequestBalancerProvider(String policyName, IntUnaryOperator random, LongSupplier clock) {
        this.policyName = requireNonNull(policyName, "policyName");
        this.random = requireNonNull(random, "random");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String policyName() {
        return policyName;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new LeastRequestBalancer(helper, random, clock);
    }

    /** A {@link LeastRequestConfig}. */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        return LeastRequestConfig.parse(rawConfig);
    }
}
