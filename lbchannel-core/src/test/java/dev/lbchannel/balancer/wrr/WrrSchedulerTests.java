package dev.lbchannel.balancer.wrr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A58's static-stride scheduler: picks in proportion to the weights, the mean for the unweighted, round robin below two. */
@Timeout(10)
class WrrSchedulerTests {

    private static int[] counts(float[] weights, int picks, int start) {
        StaticStrideScheduler scheduler = new StaticStrideScheduler(weights, new AtomicInteger(start));
        int[] counts = new int[weights.length];
        for (int i = 0; i < picks; i++) {
            counts[scheduler.pick()]++;
        }
        return counts;
    }

    @Test
    void picksInProportionToTheWeights() {
        int[] counts = counts(new float[] {1, 2, 3}, 60_000, 0);

        assertThat(counts[0]).isCloseTo(10_000, within(100));
        assertThat(counts[1]).isCloseTo(20_000, within(100));
        assertThat(counts[2]).isCloseTo(30_000, within(100));
    }

    @Test
    void anEndpointWithoutWeightGetsTheMean() {
        int[] counts = counts(new float[] {1, 0, 3}, 60_000, 12345);

        assertThat(counts[0]).isCloseTo(10_000, within(150));
        assertThat(counts[1]).isCloseTo(20_000, within(150));
        assertThat(counts[2]).isCloseTo(30_000, within(150));
    }

    @Test
    void fewerThanTwoWeightsIsRoundRobin() {
        StaticStrideScheduler one = new StaticStrideScheduler(new float[] {0, 5, 0}, new AtomicInteger());
        StaticStrideScheduler none = new StaticStrideScheduler(new float[] {0, 0}, new AtomicInteger());
        StaticStrideScheduler two = new StaticStrideScheduler(new float[] {0, 5, 1}, new AtomicInteger());

        assertThat(one.isRoundRobin()).isTrue();
        assertThat(none.isRoundRobin()).isTrue();
        assertThat(two.isRoundRobin()).isFalse();
        int[] picked = new int[6];
        for (int i = 0; i < 6; i++) {
            picked[i] = one.pick();
        }
        assertThat(picked).containsExactly(0, 1, 2, 0, 1, 2);
    }

    @Test
    void weightsAreClampedToTenTimesTheMeanAndATenthOfIt() {
        StaticStrideScheduler scheduler = new StaticStrideScheduler(new float[] {1000, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
                new AtomicInteger());

        // Mean 91.8: the big one is capped at 918 (the top of the scale), the small ones lifted to 9.18.
        assertThat(scheduler.scaledWeight(0)).isEqualTo(StaticStrideScheduler.MAX_WEIGHT);
        assertThat(scheduler.scaledWeight(1)).isEqualTo((int) Math.ceil(StaticStrideScheduler.MAX_WEIGHT * 0.01));
    }

    @Test
    void keepsGoingAcrossTheCounterWrapping() {
        int[] counts = counts(new float[] {1, 3}, 40_000, -20_000);

        assertThat(counts[0]).isCloseTo(10_000, within(100));
        assertThat(counts[1]).isCloseTo(30_000, within(100));
    }
}
