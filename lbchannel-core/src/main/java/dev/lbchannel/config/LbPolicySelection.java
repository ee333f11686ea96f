package dev.lbchannel.config;

import static java.util.Objects.requireNonNull;

/**
 * The load-balancing policy a service config selects: the first entry of
 * {@code loadBalancingConfig} whose policy is registered, or the deprecated
 * {@code loadBalancingPolicy}. Immutable when {@code config} is.
 *
 * @param policyName the registered policy's name, e.g. {@code round_robin}
 * @param config     what that policy's {@code BalancerProvider.parseConfig} returned for its
 *                   config block (for {@code loadBalancingPolicy}, for an empty block)
 */
public record LbPolicySelection(String policyName, Object config) {

    public LbPolicySelection {
        requireNonNull(policyName, "policyName");
        requireNonNull(config, "config");
    }
}
