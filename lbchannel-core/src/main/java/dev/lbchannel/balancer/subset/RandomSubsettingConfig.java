package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.BalancerProvider;

import static java.util.Objects.requireNonNull;

/**
 * The parsed {@code random_subsetting} block (gRFC A68). Immutable.
 *
 * @param subsetSize  how many endpoints the child gets at most; greater than zero
 * @param childPolicy the child's provider, chosen from {@code childPolicy}
 * @param childConfig what {@code childPolicy} parsed from its block
 */
public record RandomSubsettingConfig(int subsetSize, BalancerProvider childPolicy, Object childConfig) {

    public RandomSubsettingConfig {
        requireNonNull(childPolicy, "childPolicy");
        requireNonNull(childConfig, "childConfig");
        if (subsetSize < 1) {
            throw new IllegalArgumentException("subsetSize must be greater than 0, was " + subsetSize);
        }
    }
}
