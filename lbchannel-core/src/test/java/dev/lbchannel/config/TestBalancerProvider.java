package dev.lbchannel.config;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.pickfirst.PickFirstBalancerProvider;

import java.util.Map;

/**
 * A policy that only parses config: an optional {@code weight}, which must be a positive number,
 * so tests can see a provider's own error wrapped with its path. It never balances.
 */
final class TestBalancerProvider implements BalancerProvider {

    /** The parsed block: the weight, 1 when unset. */
    record TestConfig(String policyName, double weight) {
    }

    private final String policyName;

    TestBalancerProvider(String policyName) {
        this.policyName = policyName;
    }

    /** pick_first (built in) plus test versions of round_robin and test_policy. */
    static BalancerRegistry registry() {
        return BalancerRegistry.builtIns()
                .with(new TestBalancerProvider("round_robin"))
                .with(new TestBalancerProvider("test_policy"));
    }

    static LbPolicySelection selection(String policyName) {
        return new LbPolicySelection(policyName, new TestConfig(policyName, 1));
    }

    static LbPolicySelection pickFirst(boolean shuffle) {
        return new LbPolicySelection("pick_first",
                new PickFirstBalancerProvider().parseConfig(Map.of("shuffleAddressList", shuffle)));
    }

    @Override
    public String policyName() {
        return policyName;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        throw new UnsupportedOperationException("config parsing only");
    }

    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        Object weight = rawConfig.get("weight");
        if (weight == null) {
            return new TestConfig(policyName, 1);
        }
        if (!(weight instanceof Number number) || number.doubleValue() <= 0) {
            throw new IllegalArgumentException("weight must be a positive number, was " + weight);
        }
        return new TestConfig(policyName, number.doubleValue());
    }
}
