package dev.lbchannel.balancer.ringhash;

import io.grpc.CallOptions;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * What an application uses to steer its calls under {@code ring_hash}: the call option that
 * carries a call's hash, and the hash function that makes one from a key. Calls with the same
 * hash go to the same backend while it is READY and the set of backends stays the same; when a
 * backend fails, only its calls move, and when one of N leaves the resolution, its calls move
 * and some more, as the others' entries grow to refill the ring.
 *
 * <pre>{@code
 * // every call about one customer goes to the same backend
 * OrdersGrpc.OrdersBlockingStub stub = orders.withOption(RingHash.HASH_KEY, RingHash.hashOf(customerId));
 * }</pre>
 * With Spring, set it where the stub is made (a stub bean or a {@code ClientInterceptor} that
 * reads the key from the request context and calls {@code callOptions.withOption}); or name a
 * header in the policy's {@code requestHashHeader} and send the key as that header.
 */
public final class RingHash {

    /**
     * A call's hash, placed on the ring as an unsigned 64-bit number. It takes precedence over
     * the policy's {@code requestHashHeader}; a call with neither gets a random hash (gRFC A76's
     * rule for a missing header). Ignored by every other policy.
     */
    public static final CallOptions.Key<Long> HASH_KEY = CallOptions.Key.create("dev.lbchannel.ringhash.hash");

    private RingHash() {
    }

    /**
     * The hash of {@code key}: xxHash64 (seed 0) of its UTF-8 bytes, gRFC A42's function. A
     * header whose value is {@code key} hashes the same, so the option and the header agree.
     */
    public static long hashOf(String key) {
        return XxHash64.hash(requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8));
    }

    /** The hash of {@code key}'s bytes: xxHash64 with seed 0. */
    public static long hashOf(byte[] key) {
        return XxHash64.hash(requireNonNull(key, "key"));
    }
}
