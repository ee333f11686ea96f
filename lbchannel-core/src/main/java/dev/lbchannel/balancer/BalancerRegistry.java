package dev.lbchannel.balancer;

import dev.lbchannel.balancer.pickfirst.PickFirstBalancerProvider;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The balancer providers one channel (or one application context) knows, by policy name: the
 * built-in policies, made on first use, and those added with {@link #with}, which replace a
 * built-in of the same name. Immutable: {@link #with} returns a new registry.
 */
public final class BalancerRegistry {

    /** The policy a channel uses when nothing names one, as in gRPC. */
    public static final String DEFAULT_POLICY = PickFirstBalancerProvider.POLICY_NAME;

    private static final BalancerRegistry BUILT_INS = new BalancerRegistry(Map.of());

    /** What {@link #with} added, by name; unmodifiable. */
    private final Map<String, BalancerProvider> added;

    private BalancerRegistry(Map<String, BalancerProvider> added) {
        this.added = added;
    }

    /** A registry of the built-in policies: one instance, their providers being stateless. */
    public static BalancerRegistry builtIns() {
        return BUILT_INS;
    }

    /** A registry with {@code provider} added, replacing any provider of the same name. */
    public BalancerRegistry with(BalancerProvider provider) {
        requireNonNull(provider, "provider");
        String name = requireNonNull(provider.policyName(), "provider.policyName()");
        Map<String, BalancerProvider> copy = new TreeMap<>(added);
        copy.put(name, provider);
        return new BalancerRegistry(Collections.unmodifiableMap(copy));
    }

    public @Nullable BalancerProvider get(String policyName) {
        BalancerProvider provider = added.get(policyName);
        return provider != null ? provider : BuiltInBalancers.get(policyName);
    }

    /**
     * The provider for {@code policyName}.
     *
     * @throws IllegalArgumentException naming the policy and the registered ones
     */
    public BalancerProvider require(String policyName) {
        BalancerProvider provider = get(policyName);
        if (provider == null) {
            throw new IllegalArgumentException("Unknown load-balancing policy '" + policyName
                    + "'; known policies: " + String.join(", ", policyNames()));
        }
        return provider;
    }

    /** The registered policy names, sorted. */
    public Set<String> policyNames() {
        Set<String> names = new TreeSet<>(BuiltInBalancers.NAMES);
        names.addAll(added.keySet());
        return Collections.unmodifiableSet(names);
    }

    /** Every registered provider, in the order of their names (the built-ins made now, if not yet). */
    public Collection<BalancerProvider> providers() {
        List<BalancerProvider> providers = new ArrayList<>();
        for (String name : policyNames()) {
            providers.add(require(name));
        }
        return Collections.unmodifiableList(providers);
    }
}
