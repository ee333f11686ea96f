package dev.lbchannel;

import dev.lbchannel.config.RetryPolicy;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One call's retry policy at work (gRFC A6 "Retry Policy"): after a failed attempt it decides
 * whether another follows and after how long. An attempt is retried when its status is one of
 * {@code retryableStatusCodes} (or its per-attempt receive timeout passed), attempts are left,
 * the channel's throttle allows, and the server's pushback does not forbid it. The wait is the
 * pushback when the server gave one (and the backoff starts again from {@code initialBackoff}),
 * else {@code min(initialBackoff * backoffMultiplier^(n-1), maxBackoff)} with A6's jitter of
 * ±20 %.
 *
 * <p>Guarded by the call's lock: decisions of one call come one at a time.
 */
final class RetryingAttempts {

    static final long NO_RETRY = -1;

    private final RetryPolicy policy;
    private final int maxAttempts;
    private final @Nullable RetryThrottle throttle;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private long nextBackoffNanos;

    /** @param maxAttempts the policy's, capped by the channel's {@code maxRetryAttempts} */
    RetryingAttempts(RetryPolicy policy, int maxAttempts, @Nullable RetryThrottle throttle) {
        this.policy = policy;
        this.maxAttempts = maxAttempts;
        this.throttle = throttle;
        this.initialBackoffNanos = policy.initialBackoff().toNanos();
        this.maxBackoffNanos = policy.maxBackoff().toNanos();
        this.nextBackoffNanos = initialBackoffNanos;
    }

    /** How long one attempt may wait for response headers, or {@code null} for as long as the call. */
    @Nullable Long perAttemptRecvTimeoutNanos() {
        return policy.perAttemptRecvTimeout() == null ? null : policy.perAttemptRecvTimeout().toNanos();
    }

    /**
     * Attempt {@code number} (0 for the first) failed with {@code status}: the nanoseconds to
     * wait before the next attempt, or {@link #NO_RETRY}.
     *
     * @param recvTimedOut whether it failed because its per-attempt receive timeout passed,
     *     which is retried whatever {@code retryableStatusCodes} says
     * @param throttled told when the throttle is what stopped the retry
     */
    long onFailure(int number, Status status, Metadata trailers, boolean recvTimedOut, Runnable throttled) {
        boolean retryable = recvTimedOut || policy.retryableStatusCodes().contains(status.getCode());
        Integer pushback = Pushback.of(trailers);
        if (throttle != null && (retryable || (pushback != null && pushback == Pushback.STOP))
                && !throttle.onQualifiedFailure()) {
            throttled.run();
            return NO_RETRY;
        }
        if (!retryable || number + 1 >= maxAttempts) {
            return NO_RETRY; // pushback never makes a non-retryable status retried, as in grpc-go and C-core
        }
        if (pushback != null) {
            if (pushback == Pushback.STOP) {
                return NO_RETRY;
            }
            nextBackoffNanos = initialBackoffNanos;
            return pushback * 1_000_000L;
        }
        long delay = (long) (nextBackoffNanos * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
        nextBackoffNanos = Math.min((long) (nextBackoffNanos * policy.backoffMultiplier()), maxBackoffNanos);
        return delay;
    }
}
