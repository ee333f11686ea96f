package dev.lbchannel.benchmarks.fresh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class SamplesTests {

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        Samples s = samples(4, 1, 3, 2);
        assertThat(s.median()).isEqualTo(2.5);
    }

    @Test
    void p90OfTenSamplesIsTheNinthSmallest() {
        Samples s = samples(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(s.percentile(90)).isEqualTo(9);
        assertThat(s.median()).isEqualTo(5.5);
    }

    @Test
    void noSamplesHaveNoMedian() {
        assertThat(new Samples().median()).isNaN();
    }

    private static Samples samples(double... values) {
        Samples s = new Samples();
        for (double v : values) {
            s.add(v);
        }
        return s;
    }
}
