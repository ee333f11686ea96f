package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;

import java.security.SecureRandom;
import java.util.Map;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code random_subsetting} policy (gRFC A68), also registered under A68's own name
 * {@code random_subsetting_experimental}, a parent of the policy in its {@code childPolicy}:
 * <pre>{@code {"random_subsetting": {"subsetSize": 20, "childPolicy": [{"round_robin": {}}]}}}</pre>
 * Each balancer (one per channel) draws its own random seed, so that the clients of a service
 * spread over its backends; the subset stays put for the channel's life but for the endpoints
 * that come and go. Stateless and thread-safe.
 */
public final class RandomSubsettingBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "random_subsetting";

    /** The name gRFC A68 gives the policy, accepted as well. */
    public static final String EXPERIMENTAL_POLICY_NAME = "random_subsetting_experimental";

    /**
     * Seeded on first use, not when the built-in registry is built: a {@code SecureRandom} loads
     * the JDK's security providers, some 10 ms on every channel's start-up path (issue 18).
     */
    private static final class Seeds {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private final String policyName;
    private final LongSupplier seeds;

    public RandomSubsettingBalancerProvider() {
        this(POLICY_NAME);
    }

    /** The same policy under another name, such as {@link #EXPERIMENTAL_POLICY_NAME}. */
    public RandomSubsettingBalancerProvider(String policyName) {
        this(policyName, () -> Seeds.RANDOM.nextLong());
    }

    /** With seeds of one's own, for tests: each new balancer takes the next. */
    RandomSubsettingBalancerProvider(String policyName, LongSupplier seeds) {
        this.policyName = requireNonNull(policyName, "policyName");
        this.seeds = requireNonNull(seeds, "seeds");
    }

    @Override
    public String policyName() {
        return policyName;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new RandomSubsettingBalancer(helper, seeds.getAsLong());
    }

    /** Parses against the built-in policies; the channel calls the form with its own registry. */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        return parseConfig(rawConfig, BalancerRegistry.builtIns());
    }

    /** A {@link RandomSubsettingConfig}. */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig, BalancerRegistry balancers) {
        return RandomSubsettingConfigParser.parse(rawConfig, balancers);
    }
}
