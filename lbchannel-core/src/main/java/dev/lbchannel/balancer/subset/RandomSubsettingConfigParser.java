package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.config.ConfigNumbers;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.LbPolicySelection;
import java.util.Map;

/**
 * Reads a {@code random_subsetting} block as gRFC A68 defines it: {@code subsetSize} is a
 * required uint32 greater than zero (a JSON number, or its decimal text as YAML may bind it), and
 * {@code childPolicy} a required {@code loadBalancingConfig}-shaped list. Every error names the
 * field, the rule and the value. Unknown fields are ignored, as everywhere in a service config.
 * Stateless.
 */
final class RandomSubsettingConfigParser {

    private RandomSubsettingConfigParser() {
    }

    static RandomSubsettingConfig parse(Map<String, ?> raw, BalancerRegistry balancers) {
        Object size = raw.get("subsetSize");
        if (size == null) {
            throw InvalidServiceConfigException.ofField("subsetSize", "is required: how many endpoints each"
                    + " client connects to, such as 20");
        }
        int subsetSize = subsetSize(size);
        Object childList = raw.get("childPolicy");
        if (childList == null) {
            throw InvalidServiceConfigException.ofField("childPolicy", "is required: the policy to balance over"
                    + " the subset, such as [{\"round_robin\": {}}]");
        }
        LbPolicySelection child = LbPolicySelection.fromList("childPolicy", childList, balancers);
        return new RandomSubsettingConfig(subsetSize, balancers.require(child.policyName()), child.config());
    }

    private static int subsetSize(Object value) {
        long number = ConfigNumbers.uint32("subsetSize", value);
        if (number < 1) {
            throw InvalidServiceConfigException.ofField("subsetSize", "must be greater than 0", value);
        }
        // A subset larger than any endpoint list a channel can hold is every endpoint.
        return (int) Math.min(number, Integer.MAX_VALUE);
    }
}
