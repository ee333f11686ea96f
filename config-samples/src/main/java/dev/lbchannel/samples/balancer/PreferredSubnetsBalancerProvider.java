package dev.lbchannel.samples.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;

import java.util.Map;

/**
 * The {@code preferred_subnets} policy: calls rotate over the READY backends whose addresses are
 * in the configured subnets (the client's own zone, rack or data centre), and spill over to all
 * READY backends only while none of those is READY. Every backend stays connected, so spilling
 * over and coming back cost no handshake.
 *
 * <pre>{@code
 * service-config:
 *   loadBalancingConfig:
 *     - preferred_subnets: { subnets: [ 10.20.0.0/16 ] }
 * }</pre>
 *
 * Without a config block (chosen through {@code default.load-balancing-policy}) it prefers
 * nothing and behaves as round_robin. Stateless and thread-safe.
 */
public final class PreferredSubnetsBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "preferred_subnets";

    @Override
    public String policyName() {
        return POLICY_NAME;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new PreferredSubnetsBalancer(helper);
    }

    /** @throws IllegalArgumentException naming the field unless {@code subnets} lists CIDR subnets */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        return PreferredSubnetsConfig.parse(rawConfig);
    }
}
