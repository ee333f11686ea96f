package dev.lbchannel;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * One sequence of backoff delays under a {@link BackoffPolicy}; {@link #reset()} starts over.
 * Not thread-safe: owned by one subchannel, resolver bridge or health watcher on the serializer.
 * Public for the channel's own sub-packages (the health watcher); not an API for applications.
 */
public final class Backoff {

    private final BackoffPolicy policy;
    private final DoubleSupplier random;
    private long nextNanos;

    public Backoff(BackoffPolicy policy) {
        this(policy, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform in [0, 1); tests pass a fixed one */
    Backoff(BackoffPolicy policy, DoubleSupplier random) {
        this.policy = policy;
        this.random = random;
        reset();
    }

    /** The wait before the next attempt, jittered, and advances the sequence. */
    public long nextDelayNanos() {
        long current = nextNanos;
        long max = policy.max().toNanos();
        nextNanos = (long) Math.min(current * policy.multiplier(), max);
        double spread = policy.jitter() * (2 * random.getAsDouble() - 1);
        return Math.max(0, (long) (current * (1 + spread)));
    }

    /** How long the next connection attempt may take: the current backoff, at least the minimum. */
    long connectTimeoutNanos() {
        return Math.max(nextNanos, policy.minConnectTimeout().toNanos());
    }

    public void reset() {
        nextNanos = policy.initial().toNanos();
    }
}
