package dev.lbchannel;

import dev.lbchannel.config.RetryThrottling;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's retry throttle (gRFC A6 "Throttling Retry Attempts and Hedged RPCs"): a token
 * count that starts at {@code maxTokens}, loses one for each failed attempt that could have been
 * retried or hedged, gains {@code tokenRatio} for each successful call, and allows a retry or a
 * further hedge only while it is above {@code maxTokens / 2}. Shared by every call of the
 * channel; kept as long as the service config's {@code retryThrottling} stays the same.
 *
 * <p>Thread-safe and lock-free. Counts in thousandths, since A6 keeps three decimal places of
 * {@code tokenRatio}.
 */
final class RetryThrottle {

    private static final int MILLI = 1000;

    private final RetryThrottling config;
    private final int maxTokens;
    private final int threshold;
    private final int tokenRatio;
    private final AtomicInteger tokens;

    RetryThrottle(RetryThrottling config) {
        this.config = config;
        this.maxTokens = config.maxTokens() * MILLI;
        this.threshold = maxTokens / 2;
        // Decimal arithmetic: 0.546 must give 546, not 545 through binary rounding; places past 3 drop (A6).
        this.tokenRatio = BigDecimal.valueOf(config.tokenRatio()).movePointRight(3).setScale(0, RoundingMode.DOWN)
                .intValueExact();
        this.tokens = new AtomicInteger(maxTokens);
    }

    /** The config this throttle follows. */
    RetryThrottling config() {
        return config;
    }

    /**
     * An attempt failed in a way a policy retries (or the server's pushback said not to retry):
     * takes a token, then says whether retries and hedges are still allowed.
     */
    boolean onQualifiedFailure() {
        int after = tokens.updateAndGet(count -> Math.max(0, count - MILLI));
        return after > threshold;
    }

    /** A call succeeded: gives back {@code tokenRatio}, up to {@code maxTokens}. */
    void onSuccess() {
        tokens.updateAndGet(count -> Math.min(maxTokens, count + tokenRatio));
    }

    /** Whether a retry or hedge may be sent now. */
    boolean isAboveThreshold() {
        return tokens.get() > threshold;
    }

    /** The token count now, in tokens (for tests and traces). */
    double tokens() {
        return tokens.get() / (double) MILLI;
    }
}
