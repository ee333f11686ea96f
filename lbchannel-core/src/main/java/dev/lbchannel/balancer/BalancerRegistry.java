package dev.lbchannel.balancer;

import dev.lbchannel.balancer.leastrequest.LeastRequestBalancerProvider;
import dev.lbchannel.balancer.wrr.WeightedRoundRobinBalancerProvider;
import dev.lbchannel.balancer.outlier.OutlierDetectionBalancerProvider;
import dev.lbchannel.balancer.peakewma.PeakEwmaBalancerProvider;
import dev.lbchannel.balancer.pickfirst.PickFirstBalancerProvider;
import dev.lbchannel.balancer.ringhash.RingHashBalancerProvider;
import dev.lbchannel.balancer.roundrobin.RoundRobinBalancerProvider;
import dev.lbchannel.balancer.subset.RandomSubsettingBalancerProvider;
import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The balancer providers one channel (or one application context) knows, by policy name.
 * Immutable: {@link #with} returns a new registry.
 */
public final class BalancerRegistry {

    /** The policy a channel uses when nothing names one, as in gRPC. */
    public static final String DEFAULT_POLICY = PickFirstBalancerProvider.POLICY_NAME;

    private final Map<String, BalancerProvider> providers;

    private BalancerRegistry(Map<String, BalancerProvider> providers) {
        // Unmodifiable: builtIns() is one instance every channel shares.
        this.providers = Collections.unmodifiableMap(providers);
    }

    /** A registry of the built-in policies: one instance, their providers being stateless. */
    public static BalancerRegistry builtIns() {
        return BuiltIns.INSTANCE;
    }

    /** Built on first use; a registry per channel cost each one eleven providers and two maps. */
    private static final class BuiltIns {
        static final BalancerRegistry INSTANCE = new BalancerRegistry(new TreeMap<>())
                .with(new PickFirstBalancerProvider())
                .with(new RoundRobinBalancerProvider())
                .with(new OutlierDetectionBalancerProvider())
                .with(new LeastRequestBalancerProvider())
                .with(new LeastRequestBalancerProvider(LeastRequestBalancerProvider.EXPERIMENTAL_POLICY_NAME))
                .with(new WeightedRoundRobinBalancerProvider())
                .with(new RingHashBalancerProvider())
                .with(new RingHashBalancerProvider(RingHashBalancerProvider.EXPERIMENTAL_POLICY_NAME,
                        RingHashBalancerProvider.DEFAULT_RING_SIZE_CAP))
                .with(new RandomSubsettingBalancerProvider())
                .with(new RandomSubsettingBalancerProvider(RandomSubsettingBalancerProvider.EXPERIMENTAL_POLICY_NAME))
                .with(new PeakEwmaBalancerProvider());
    }

    /** A registry with {@code provider} added, replacing any provider of the same name. */
    public BalancerRegistry with(BalancerProvider provider) {
        requireNonNull(provider, "provider");
        String name = requireNonNull(provider.policyName(), "provider.policyName()");
        Map<String, BalancerProvider> copy = new TreeMap<>(providers);
        copy.put(name, provider);
        return new BalancerRegistry(copy);
    }

    public @Nullable BalancerProvider get(String policyName) {
        return providers.get(policyName);
    }

    /**
     * The provider for {@code policyName}.
     *
     * @throws IllegalArgumentException naming the policy and the registered ones
     */
    public BalancerProvider require(String policyName) {
        BalancerProvider provider = providers.get(policyName);
        if (provider == null) {
            throw new IllegalArgumentException("Unknown load-balancing policy '" + policyName
                    + "'; known policies: " + String.join(", ", policyNames()));
        }
        return provider;
    }

    /** The registered policy names, sorted. */
    public Set<String> policyNames() {
        return providers.keySet();
    }

    public Collection<BalancerProvider> providers() {
        return providers.values();
    }
}
