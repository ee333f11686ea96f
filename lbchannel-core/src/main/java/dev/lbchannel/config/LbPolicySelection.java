package dev.lbchannel.config;

import dev.lbchannel.balancer.BalancerRegistry;

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

    /**
     * Chooses among a list shaped like {@code loadBalancingConfig}, for a parent policy's child
     * (such as {@code outlier_detection.childPolicy}): the first registered policy wins and its
     * block goes through its provider, as at the top level.
     *
     * @param field the list's name within the parent's block, for error paths
     * @throws InvalidServiceConfigException naming {@code field}'s path, the rule and the value
     */
    public static LbPolicySelection fromList(String field, Object list, BalancerRegistry balancers) {
        ConfigNode node = ConfigNode.at(requireNonNull(field, "field"), requireNonNull(list, "list"));
        return LbPolicyParser.fromList(node, node.elements(), balancers);
    }
}
