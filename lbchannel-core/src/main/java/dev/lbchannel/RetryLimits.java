package dev.lbchannel;

/**
 * What a channel allows the service config's retry and hedging policies (gRFC A6 "Limits on
 * Retries and Hedges" and "Memory Management"), as set on the builder with grpc-java's names.
 *
 * @param enabled whether {@code retryPolicy} and {@code hedgingPolicy} apply at all
 *     ({@code enableRetry()}, the default, or {@code disableRetry()}); transparent retry of
 *     streams the server never processed happens either way
 * @param maxRetryAttempts the most attempts a retry policy may make, the first included; a
 *     policy's larger {@code maxAttempts} is capped at this
 * @param maxHedgedAttempts the same for a hedging policy
 * @param bufferSize bytes of unacknowledged request messages all calls of the channel may keep for
 *     replay at once; a call that would go past it commits to its current attempt
 * @param perRpcBufferLimit bytes one call may keep for replay; past it the call commits
 */
record RetryLimits(boolean enabled, int maxRetryAttempts, int maxHedgedAttempts, long bufferSize,
        long perRpcBufferLimit) {

    /** grpc-java's defaults: on, 5 attempts, 16 MiB per channel, 1 MiB per call. */
    static final RetryLimits DEFAULT = new RetryLimits(true, 5, 5, 16L << 20, 1L << 20);

    RetryLimits withEnabled(boolean on) {
        return new RetryLimits(on, maxRetryAttempts, maxHedgedAttempts, bufferSize, perRpcBufferLimit);
    }

    RetryLimits withMaxRetryAttempts(int attempts) {
        return new RetryLimits(enabled, attempts, maxHedgedAttempts, bufferSize, perRpcBufferLimit);
    }

    RetryLimits withMaxHedgedAttempts(int attempts) {
        return new RetryLimits(enabled, maxRetryAttempts, attempts, bufferSize, perRpcBufferLimit);
    }

    RetryLimits withBufferSize(long bytes) {
        return new RetryLimits(enabled, maxRetryAttempts, maxHedgedAttempts, bytes, perRpcBufferLimit);
    }

    RetryLimits withPerRpcBufferLimit(long bytes) {
        return new RetryLimits(enabled, maxRetryAttempts, maxHedgedAttempts, bufferSize, bytes);
    }
}
