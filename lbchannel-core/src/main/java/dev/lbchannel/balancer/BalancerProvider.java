package dev.lbchannel.balancer;

import java.util.Map;

/**
 * Creates balancers for one policy name, such as {@code pick_first} or {@code round_robin}.
 * Registering a provider under a built-in's name replaces the built-in. Stateless and
 * thread-safe.
 */
public interface BalancerProvider {

    /** The policy name used in {@code loadBalancingConfig} and {@code defaultLoadBalancingPolicy}. */
    String policyName();

    Balancer newBalancer(BalancerHelper helper);

    /**
     * Validates and converts this policy's config block (the JSON object under its name in
     * {@code loadBalancingConfig}) into the object {@link ResolvedEndpoints#config()} carries.
     *
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    default Object parseConfig(Map<String, ?> rawConfig) {
        return rawConfig;
    }

    /**
     * As {@link #parseConfig(Map)}, for a policy whose config names other policies (a parent
     * such as {@code outlier_detection} with its {@code childPolicy}): {@code balancers} are the
     * policies of the channel whose config this is. The channel calls this one; the default
     * ignores {@code balancers}.
     *
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    default Object parseConfig(Map<String, ?> rawConfig, BalancerRegistry balancers) {
        return parseConfig(rawConfig);
    }
}
