package dev.lbchannel;

import dev.lbchannel.config.HedgingPolicy;
import dev.lbchannel.config.RetryPolicy;
import dev.lbchannel.config.RetryThrottling;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The arithmetic of gRFC A6: the throttle's tokens, the backoff and its jitter, pushback, hedging decisions. */
@Timeout(30)
class RetryDecisionTests {

    private static final Runnable NOTHING = () -> { };

    private static Metadata pushback(String value) {
        Metadata trailers = new Metadata();
        trailers.put(Pushback.KEY, value);
        return trailers;
    }

    @Test
    void theThrottleTakesOneTokenPerFailureGivesTheRatioPerSuccessAndStopsAtHalf() {
        RetryThrottle throttle = new RetryThrottle(new RetryThrottling(10, 0.5466));
        assertThat(throttle.tokens()).isEqualTo(10.0);

        for (int i = 0; i < 4; i++) {
            assertThat(throttle.onQualifiedFailure()).isTrue(); // 9, 8, 7, 6 > 5
        }
        assertThat(throttle.onQualifiedFailure()).as("5 is not above the threshold").isFalse();
        assertThat(throttle.isAboveThreshold()).isFalse();
        for (int i = 0; i < 10; i++) {
            throttle.onQualifiedFailure();
        }
        assertThat(throttle.tokens()).as("never below 0").isZero();

        for (int i = 0; i < 10; i++) {
            throttle.onSuccess();
        }
        assertThat(throttle.tokens()).isEqualTo(5.46); // 10 x 0.546: places past the third are dropped (A6)
        assertThat(throttle.isAboveThreshold()).isTrue();
        for (int i = 0; i < 100; i++) {
            throttle.onSuccess();
        }
        assertThat(throttle.tokens()).as("never above maxTokens").isEqualTo(10.0);
    }

    private static RetryingAttempts retrying(int maxAttempts, RetryThrottle throttle) {
        return new RetryingAttempts(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(300), 2.0,
                Set.of(Status.Code.UNAVAILABLE), null), maxAttempts, throttle);
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheMaximumWithTwentyPercentJitter() {
        RetryingAttempts retries = retrying(5, null);
        long[] bases = {100, 200, 300, 300};
        for (int n = 0; n < bases.length; n++) {
            long delay = retries.onFailure(n, Status.UNAVAILABLE, new Metadata(), false, NOTHING);
            assertThat(delay).as("retry %d", n + 1)
                    .isBetween(bases[n] * 800_000L, bases[n] * 1_200_000L);
        }
        assertThat(retries.onFailure(4, Status.UNAVAILABLE, new Metadata(), false, NOTHING))
                .as("the fifth attempt was the last").isEqualTo(RetryingAttempts.NO_RETRY);
    }

    @Test
    void pushbackIsTheExactDelayAndRestartsTheBackoff() {
        RetryingAttempts retries = retrying(5, null);
        retries.onFailure(0, Status.UNAVAILABLE, new Metadata(), false, NOTHING);
        retries.onFailure(1, Status.UNAVAILABLE, new Metadata(), false, NOTHING);

        assertThat(retries.onFailure(2, Status.UNAVAILABLE, pushback("250"), false, NOTHING)).isEqualTo(250_000_000L);
        assertThat(retries.onFailure(3, Status.UNAVAILABLE, new Metadata(), false, NOTHING))
                .as("back to initialBackoff").isBetween(80_000_000L, 120_000_000L);
    }

    @Test
    void aNegativeOrUnreadablePushbackOrANonRetryableCodeStopsRetrying() {
        assertThat(retrying(5, null).onFailure(0, Status.UNAVAILABLE, pushback("-5"), false, NOTHING))
                .isEqualTo(RetryingAttempts.NO_RETRY);
        assertThat(retrying(5, null).onFailure(0, Status.UNAVAILABLE, pushback("1e3"), false, NOTHING))
                .isEqualTo(RetryingAttempts.NO_RETRY);
        assertThat(retrying(5, null).onFailure(0, Status.INTERNAL, pushback("10"), false, NOTHING))
                .isEqualTo(RetryingAttempts.NO_RETRY);
        assertThat(retrying(5, null).onFailure(0, Status.INTERNAL, new Metadata(), true, NOTHING))
                .as("a receive timeout is retried whatever the code").isPositive();
    }

    @Test
    void aThrottleAtItsThresholdStopsRetriesAndSaysSo() {
        RetryThrottle throttle = new RetryThrottle(new RetryThrottling(2, 1));
        AtomicInteger throttled = new AtomicInteger();

        assertThat(retrying(5, throttle).onFailure(0, Status.UNAVAILABLE, new Metadata(), false,
                throttled::incrementAndGet)).as("2 -> 1: at the threshold").isEqualTo(RetryingAttempts.NO_RETRY);
        assertThat(throttled).hasValue(1);
        assertThat(retrying(5, throttle).onFailure(0, Status.INTERNAL, new Metadata(), false,
                throttled::incrementAndGet)).isEqualTo(RetryingAttempts.NO_RETRY);
        assertThat(throttle.tokens()).as("a non-retryable failure takes no token").isEqualTo(1.0);
    }

    private static HedgingAttempts hedging(RetryThrottle throttle) {
        return new HedgingAttempts(new HedgingPolicy(3, Duration.ofMillis(50), Set.of(Status.Code.UNAVAILABLE)), 3,
                throttle);
    }

    @Test
    void hedgingSendsUpToMaxAttemptsAndNonFatalFailuresBringTheNextForward() {
        HedgingAttempts hedges = hedging(null);

        assertThat(hedges.onFailure(Status.UNAVAILABLE, new Metadata(), NOTHING)).as("at once").isZero();
        assertThat(hedges.takeHedge(NOTHING)).isTrue();
        assertThat(hedges.lastNumber()).isEqualTo(1);
        assertThat(hedges.onFailure(Status.UNAVAILABLE, pushback("70"), NOTHING)).isEqualTo(70_000_000L);
        assertThat(hedges.takeHedge(NOTHING)).isTrue();
        assertThat(hedges.lastNumber()).isEqualTo(2);
        assertThat(hedges.morePossible()).isFalse();
        assertThat(hedges.takeHedge(NOTHING)).isFalse();
        assertThat(hedges.onFailure(Status.UNAVAILABLE, new Metadata(), NOTHING)).isEqualTo(HedgingAttempts.NO_HEDGE);
    }

    @Test
    void aFatalCodeEndsAHedgedCallAndANegativePushbackStopsHedging() {
        assertThat(hedging(null).onFailure(Status.INTERNAL, new Metadata(), NOTHING)).isEqualTo(HedgingAttempts.FATAL);

        HedgingAttempts hedges = hedging(null);
        assertThat(hedges.onFailure(Status.UNAVAILABLE, pushback("-1"), NOTHING)).isEqualTo(HedgingAttempts.NO_HEDGE);
        assertThat(hedges.takeHedge(NOTHING)).isFalse();
    }

    @Test
    void hedgesWaitForTheThrottleAndThenStop() {
        RetryThrottle throttle = new RetryThrottle(new RetryThrottling(2, 1));
        throttle.onQualifiedFailure(); // 1: at the threshold
        AtomicInteger throttled = new AtomicInteger();
        HedgingAttempts hedges = hedging(throttle);

        assertThat(hedges.takeHedge(throttled::incrementAndGet)).isFalse();
        assertThat(throttled).hasValue(1);
        assertThat(hedges.morePossible()).isFalse();
    }
}
