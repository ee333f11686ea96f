package dev.lbchannel.config;

/**
 * The channel-wide throttle on retries and hedges (gRFC A6 {@code retryThrottling}): a token
 * count starts at {@code maxTokens}, each failed call takes one, each successful call adds
 * {@code tokenRatio}, and while the count is at or below {@code maxTokens / 2} no retry or
 * further hedge is sent. Immutable.
 *
 * @param maxTokens  1 to 1000
 * @param tokenRatio positive, with at most 3 decimal places (a config's further places are
 *                   dropped, so {@code 0.5466} becomes {@code 0.546})
 */
public record RetryThrottling(int maxTokens, double tokenRatio) {
}
