package dev.lbchannel.balancer.pickfirst;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;

import java.util.Map;

/**
 * The {@code pick_first} policy: all addresses in one subchannel, tried in order; every RPC goes
 * to the first that connects. Config: {@code {"shuffleAddressList": true}} shuffles the
 * addresses first (gRFC A62).
 */
public final class PickFirstBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "pick_first";

    @Override
    public String policyName() {
        return POLICY_NAME;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new PickFirstBalancer(helper);
    }

    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        Object shuffle = rawConfig.get("shuffleAddressList");
        if (shuffle != null && !(shuffle instanceof Boolean)) {
            throw new IllegalArgumentException("pick_first.shuffleAddressList must be a boolean, was '"
                    + shuffle + "'");
        }
        return new PickFirstConfig(Boolean.TRUE.equals(shuffle));
    }
}
