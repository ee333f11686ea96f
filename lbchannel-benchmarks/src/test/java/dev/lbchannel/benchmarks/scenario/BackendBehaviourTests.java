package dev.lbchannel.benchmarks.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class BackendBehaviourTests {

    private static final long MS = 1_000_000;

    @Test
    void coldBackendWarmsUpLinearlyFromItsFirstCall() {
        BackendBehaviour b = new BackendBehaviour(2 * MS);
        b.cold(1_000 * MS, 10);

        assertThat(b.delayNanos(5_000 * MS)).isEqualTo(20 * MS);  // first call: 10× slower
        assertThat(b.delayNanos(5_500 * MS)).isEqualTo(11 * MS);  // half way: 1 + 9 × 0.5
        assertThat(b.delayNanos(6_000 * MS)).isEqualTo(2 * MS);   // warm
        assertThat(b.delayNanos(9_000 * MS)).isEqualTo(2 * MS);
    }

    @Test
    void resetMakesEveryBackendWarmAndHealthy() {
        BackendBehaviour b = new BackendBehaviour(2 * MS);
        b.cold(1_000 * MS, 10);
        b.failFraction(1);
        b.reset(3 * MS);

        assertThat(b.delayNanos(0)).isEqualTo(3 * MS);
        assertThat(b.shouldFail()).isFalse();
    }

    @Test
    void failsEveryCallAtFractionOne() {
        BackendBehaviour b = new BackendBehaviour(0);
        b.failFraction(1);

        assertThat(b.shouldFail()).isTrue();
    }
}
