package dev.lbchannel.config;

import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * How a method's failed attempts are retried (gRFC A6 {@code retryPolicy}). Attempt {@code n}
 * (the first retry is 1) waits a random time in
 * {@code [0, min(initialBackoff * backoffMultiplier^(n-1), maxBackoff))}. Immutable.
 *
 * @param maxAttempts           attempts in all, the first included: 2 to 5 (a config's larger
 *                              value is capped at 5)
 * @param initialBackoff        positive
 * @param maxBackoff            positive
 * @param backoffMultiplier     positive and finite
 * @param retryableStatusCodes  the codes that make an attempt worth retrying, non-empty unless
 *                              {@code perAttemptRecvTimeout} is set; unmodifiable
 * @param perAttemptRecvTimeout when set, positive: how long one attempt may wait for the
 *                              server's response before it is cancelled and retried
 */
public record RetryPolicy(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double backoffMultiplier,
        Set<Status.Code> retryableStatusCodes,
        @Nullable Duration perAttemptRecvTimeout) {

    public RetryPolicy {
        requireNonNull(initialBackoff, "initialBackoff");
        requireNonNull(maxBackoff, "maxBackoff");
        retryableStatusCodes = StatusCodes.immutableCopy(requireNonNull(retryableStatusCodes, "retryableStatusCodes"));
    }
}
