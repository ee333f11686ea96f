package dev.lbchannel.balancer.ringhash;

import org.jspecify.annotations.Nullable;

/**
 * The parsed {@code ring_hash} block (gRFC A42, A76). Immutable.
 *
 * @param minRingSize       the ring has at least this many entries (1024 by default), unless
 *                          {@code maxRingSize} or the provider's cap is smaller
 * @param maxRingSize       and at most this many (4096 by default); both at most 8,388,608
 * @param requestHashHeader the header whose value a call is hashed by (A76), lower case; or
 *                          {@code null} when calls are hashed only by {@link RingHash#HASH_KEY}
 */
public record RingHashConfig(long minRingSize, long maxRingSize, @Nullable String requestHashHeader) {

    /** A42's defaults, and no header. */
    public static final RingHashConfig DEFAULT = new RingHashConfig(1024, 4096, null);

    /** The largest ring size A42 accepts, Envoy's limit. */
    public static final long MAX_RING_SIZE = 8 * 1024 * 1024;

    public RingHashConfig {
        if (minRingSize < 1 || maxRingSize < minRingSize || maxRingSize > MAX_RING_SIZE) {
            throw new IllegalArgumentException("Ring sizes must satisfy 1 <= minRingSize <= maxRingSize <= "
                    + MAX_RING_SIZE + ", were " + minRingSize + " and " + maxRingSize);
        }
    }
}
