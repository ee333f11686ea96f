package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code ring_hash} policy (gRFC A42, with A76's {@code requestHashHeader}), also registered
 * under A42's own name {@code ring_hash_experimental}:
 * <pre>{@code {"loadBalancingConfig": [{"ring_hash": {"minRingSize": 1024, "maxRingSize": 4096,
 *     "requestHashHeader": "x-user-id"}}]}}</pre>
 * A call goes to the endpoint nearest its hash on the ring: {@link RingHash#HASH_KEY} if the call
 * sets it, else the hash of its {@code requestHashHeader}, else a random one. Both ring sizes are
 * bounded by a local cap (A42), 4096 unless a provider of one's own says otherwise: register
 * {@code new RingHashBalancerProvider("ring_hash", 65536)} (a {@code BalancerProvider} bean with
 * Spring) to allow larger rings. Stateless and thread-safe.
 */
public final class RingHashBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "ring_hash";

    /** The name gRFC A42 gives the policy, accepted as well. */
    public static final String EXPERIMENTAL_POLICY_NAME = "ring_hash_experimental";

    /** A42's default local cap on the ring size. */
    public static final long DEFAULT_RING_SIZE_CAP = 4096;

    private final String policyName;
    private final long ringSizeCap;
    private final LongSupplier random;

    public RingHashBalancerProvider() {
        this(POLICY_NAME, DEFAULT_RING_SIZE_CAP);
    }

    /**
     * The policy under {@code policyName}, with rings of at most {@code ringSizeCap} entries
     * whatever a config asks (A42's local cap).
     *
     * @param ringSizeCap from 1 to {@link RingHashConfig#MAX_RING_SIZE}
     */
    public RingHashBalancerProvider(String policyName, long ringSizeCap) {
        this(policyName, ringSizeCap, () -> ThreadLocalRandom.current().nextLong());
    }

    /** With the random hashes of one's own, for tests. */
    RingHashBalancerProvider(String policyName, long ringSizeCap, LongSupplier random) {
        if (ringSizeCap < 1 || ringSizeCap > RingHashConfig.MAX_RING_SIZE) {
            throw new IllegalArgumentException("ringSizeCap must be from 1 to " + RingHashConfig.MAX_RING_SIZE
                    + ", was " + ringSizeCap);
        }
        this.policyName = requireNonNull(policyName, "policyName");
        this.ringSizeCap = ringSizeCap;
        this.random = requireNonNull(random, "random");
    }

    @Override
    public String policyName() {
        return policyName;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new RingHashBalancer(helper, random, ringSizeCap);
    }

    /** A {@link RingHashConfig}. */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        return RingHashConfigParser.parse(rawConfig);
    }
}
