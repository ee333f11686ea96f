package dev.lbchannel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

@Timeout(10)
class BackoffTests {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void growsByMultiplierUpToMaxWithoutJitterAtMidpoint() {
        Backoff backoff = new Backoff(BackoffPolicy.DEFAULT, () -> 0.5);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            delays.add(backoff.nextDelayNanos());
        }
        assertThat(delays.get(0)).isEqualTo(SECOND);
        assertThat(delays.get(1)).isEqualTo(1_600_000_000L);
        assertThat((double) delays.get(2)).isCloseTo(2.56e9, within(1.0));
        assertThat(delays.get(12)).isEqualTo(120 * SECOND);
    }

    @Test
    void jitterSpreadsTwentyPercentEachWay() {
        assertThat(new Backoff(BackoffPolicy.DEFAULT, () -> 0.0).nextDelayNanos()).isEqualTo(800_000_000L);
        assertThat(new Backoff(BackoffPolicy.DEFAULT, () -> 0.999_999).nextDelayNanos())
                .isBetween(1_199_999_000L, 1_200_000_000L);
    }

    @Test
    void connectTimeoutIsAtLeastTheMinimumAndResetStartsOver() {
        Backoff backoff = new Backoff(BackoffPolicy.DEFAULT, () -> 0.5);
        assertThat(backoff.connectTimeoutNanos()).isEqualTo(20 * SECOND);
        for (int i = 0; i < 12; i++) {
            backoff.nextDelayNanos();
        }
        assertThat(backoff.connectTimeoutNanos()).isEqualTo(120 * SECOND);
        backoff.reset();
        assertThat(backoff.nextDelayNanos()).isEqualTo(SECOND);
    }

    @Test
    void policyRejectsNonsenseNamingTheValues() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(2), 1.6, 0.2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .withMessageContaining("initial=PT2S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), 0.5, 0.2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .withMessageContaining("multiplier");
    }
}
