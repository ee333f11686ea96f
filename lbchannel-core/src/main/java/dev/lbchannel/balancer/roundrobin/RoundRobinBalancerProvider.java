package dev.lbchannel.balancer.roundrobin;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.base.BaseBalancer;

/** The {@code round_robin} policy: a subchannel per endpoint, RPCs spread over the READY ones in turn. */
public final class RoundRobinBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "round_robin";

    @Override
    public String policyName() {
        return POLICY_NAME;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new BaseBalancer(helper, RoundRobinPicker::new);
    }
}
