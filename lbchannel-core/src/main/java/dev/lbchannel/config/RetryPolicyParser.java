package dev.lbchannel.config;

import io.grpc.Status;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Set;

/**
 * Reads {@code retryPolicy}, {@code hedgingPolicy} and {@code retryThrottling} by the
 * validation rules of gRFC A6 ("Validation of retryPolicy", "Validation of hedgingPolicy",
 * "Validation of retryThrottling"). Stateless.
 */
final class RetryPolicyParser {

    /** A6 "Limits on Retries and Hedges": larger values are treated as this, not rejected. */
    static final int MAX_ATTEMPTS_CAP = 5;

    static final int MAX_TOKENS_LIMIT = 1000;

    private RetryPolicyParser() {
    }

    static RetryPolicy retryPolicy(ConfigNode node) {
        node.asObject();
        int maxAttempts = maxAttempts(node.field("maxAttempts"));
        Duration initialBackoff = required(node.field("initialBackoff")).asPositiveDuration();
        Duration maxBackoff = required(node.field("maxBackoff")).asPositiveDuration();
        ConfigNode multiplierNode = required(node.field("backoffMultiplier"));
        double backoffMultiplier = multiplierNode.asNumber();
        if (!(backoffMultiplier > 0)) {
            throw multiplierNode.invalid("must be greater than 0");
        }
        ConfigNode recvTimeoutNode = node.field("perAttemptRecvTimeout");
        Duration perAttemptRecvTimeout = recvTimeoutNode.isPresent() ? recvTimeoutNode.asPositiveDuration() : null;
        ConfigNode codesNode = required(node.field("retryableStatusCodes"));
        Set<Status.Code> retryableStatusCodes = StatusCodes.parse(codesNode);
        if (retryableStatusCodes.isEmpty() && perAttemptRecvTimeout == null) {
            // With a receive timeout, the timeout alone may be what is retried (as grpc-java allows).
            throw codesNode.invalid("must not be empty unless perAttemptRecvTimeout is set");
        }
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, backoffMultiplier, retryableStatusCodes,
                perAttemptRecvTimeout);
    }

    static HedgingPolicy hedgingPolicy(ConfigNode node) {
        node.asObject();
        int maxAttempts = maxAttempts(node.field("maxAttempts"));
        ConfigNode delayNode = node.field("hedgingDelay");
        Duration hedgingDelay = delayNode.isPresent() ? delayNode.asNonNegativeDuration() : Duration.ZERO;
        ConfigNode codesNode = node.field("nonFatalStatusCodes");
        Set<Status.Code> nonFatalStatusCodes = codesNode.isPresent() ? StatusCodes.parse(codesNode) : Set.of();
        return new HedgingPolicy(maxAttempts, hedgingDelay, nonFatalStatusCodes);
    }

    static RetryThrottling retryThrottling(ConfigNode node) {
        node.asObject();
        ConfigNode maxTokensNode = required(node.field("maxTokens"));
        long maxTokens = maxTokensNode.asWholeNumber();
        if (maxTokens <= 0 || maxTokens > MAX_TOKENS_LIMIT) {
            throw maxTokensNode.invalid("must be greater than 0 and at most " + MAX_TOKENS_LIMIT);
        }
        ConfigNode ratioNode = required(node.field("tokenRatio"));
        double givenRatio = ratioNode.asNumber();
        if (!(givenRatio > 0)) {
            throw ratioNode.invalid("must be greater than 0");
        }
        // A6: "Decimal places beyond 3 are ignored (eg. 0.5466 is treated as 0.546)". Decimal
        // arithmetic, so 4.35 stays 4.35 rather than becoming 4.349 through binary rounding.
        double tokenRatio = BigDecimal.valueOf(givenRatio).setScale(3, RoundingMode.DOWN).doubleValue();
        if (tokenRatio == 0) {
            throw ratioNode.invalid("must be at least 0.001 (decimal places beyond 3 are ignored)");
        }
        return new RetryThrottling((int) maxTokens, tokenRatio);
    }

    private static int maxAttempts(ConfigNode node) {
        long maxAttempts = required(node).asWholeNumber();
        if (maxAttempts < 2) {
            throw node.invalid("must be at least 2");
        }
        return (int) Math.min(maxAttempts, MAX_ATTEMPTS_CAP);
    }

    private static ConfigNode required(ConfigNode node) {
        if (!node.isPresent()) {
            throw node.required();
        }
        return node;
    }
}
