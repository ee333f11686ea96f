package dev.lbchannel.benchmarks.fresh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A list of measurements of one quantity, with its median and nearest-rank percentiles. Not thread-safe. */
final class Samples {

    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    int count() {
        return values.size();
    }

    double median() {
        return percentile(50);
    }

    /** The nearest-rank percentile: with 10 samples p90 is the 9th smallest. */
    double percentile(double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (p == 50 && sorted.size() % 2 == 0) {
            int mid = sorted.size() / 2;
            return (sorted.get(mid - 1) + sorted.get(mid)) / 2;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
