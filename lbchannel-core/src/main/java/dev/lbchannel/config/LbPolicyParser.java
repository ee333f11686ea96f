package dev.lbchannel.config;

import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses a service config's load-balancing policy. {@code loadBalancingConfig} is a list of
 * single-key objects ({@code [{"round_robin": {}}, {"pick_first": {...}}]}); the first whose
 * policy is registered wins and its block goes through that provider's
 * {@link BalancerProvider#parseConfig}; a non-empty list with no registered policy makes the
 * config invalid (gRFC A21). Only when that list is absent or empty does the deprecated
 * {@code loadBalancingPolicy} string apply, case-insensitively. Stateless.
 */
final class LbPolicyParser {

    private LbPolicyParser() {
    }

    static @Nullable LbPolicySelection parse(ConfigNode root, BalancerRegistry balancers) {
        ConfigNode policyNode = root.field("loadBalancingPolicy");
        String legacyPolicy = policyNode.isPresent() ? policyNode.asString() : null;
        ConfigNode configNode = root.field("loadBalancingConfig");
        if (configNode.isPresent()) {
            List<ConfigNode> entries = configNode.elements();
            if (!entries.isEmpty()) {
                return fromList(configNode, entries, balancers);
            }
        }
        if (legacyPolicy == null) {
            return null;
        }
        String policyName = legacyPolicy.toLowerCase(Locale.ROOT);
        BalancerProvider provider = balancers.get(policyName);
        if (provider == null) {
            throw policyNode.invalid("must name a registered policy (" + String.join(", ", balancers.policyNames())
                    + ")");
        }
        return new LbPolicySelection(policyName, parseConfig(provider, Map.of(), policyNode.path(), balancers));
    }

    static LbPolicySelection fromList(ConfigNode list, List<ConfigNode> entries, BalancerRegistry balancers) {
        LbPolicySelection selection = null;
        List<String> given = new ArrayList<>();
        for (ConfigNode entry : entries) {
            Map<String, ?> object = entry.asObject();
            if (object.size() != 1) {
                throw entry.invalid("must have exactly one key, the policy name");
            }
            String policyName = object.keySet().iterator().next();
            ConfigNode block = entry.field(policyName);
            Map<String, ?> rawConfig = block.asObject();
            given.add(policyName);
            BalancerProvider provider = balancers.get(policyName);
            if (selection == null && provider != null) {
                selection = new LbPolicySelection(policyName, parseConfig(provider, rawConfig, block.path(), balancers));
            }
        }
        if (selection == null) {
            throw new InvalidServiceConfigException(list.path(), "names no registered policy, was "
                    + ConfigNode.quote(given) + "; registered policies: " + String.join(", ", balancers.policyNames()));
        }
        return selection;
    }

    private static Object parseConfig(BalancerProvider provider, Map<String, ?> rawConfig, String path,
            BalancerRegistry balancers) {
        Object config;
        try {
            config = provider.parseConfig(rawConfig, balancers);
        } catch (InvalidServiceConfigException e) {
            throw e.under(path); // a parent policy's child list: one path from the root
        } catch (IllegalArgumentException e) {
            throw new InvalidServiceConfigException(path, e);
        }
        if (config == null) {
            throw new IllegalStateException(provider.getClass().getName() + ".parseConfig returned null");
        }
        return config;
    }
}
