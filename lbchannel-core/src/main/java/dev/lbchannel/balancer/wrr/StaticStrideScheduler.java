package dev.lbchannel.balancer.wrr;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * gRFC A58's earliest-deadline-first scheduler in its static-stride form: instead of a priority
 * queue of deadlines, one shared counter walks the endpoints round and round, and in round
 * {@code g} endpoint {@code i} of scaled weight {@code w} takes the turn only when
 * {@code (w * g + offset(i)) mod M >= M - w}, which happens {@code w} times in every {@code M}
 * rounds: each endpoint is picked in proportion to its weight, evenly spread, with no lock. The
 * per-endpoint offset staggers the endpoints so the skipped turns are spread too.
 *
 * <p>Weights are scaled so the largest is {@code M = 65535}; to bound the rounds a pick may skip,
 * weights are clamped to between a tenth of and ten times the mean. Endpoints without a weight (0)
 * get the mean; with fewer than two weighted endpoints every endpoint gets the same weight, which
 * is round robin. Immutable but for the shared counter, which wraps; a pick is a few atomic
 * increments on average and allocates nothing. Public for round_robin's slow start, which weighs
 * ramping endpoints with it.
 */
public final class StaticStrideScheduler {

    static final int MAX_WEIGHT = 0xFFFF;
    private static final double MAX_RATIO = 10;
    private static final double MIN_RATIO = 0.1;

    /** Scaled weights, each from 1 to {@link #MAX_WEIGHT}; a {@code char} is an unsigned 16-bit number. */
    private final char[] scaled;
    private final AtomicInteger sequence;
    private final boolean roundRobin;

    /**
     * @param weights each endpoint's weight, 0 (or less) for none; not empty
     * @param sequence the counter picks advance, shared by the schedulers that replace one
     *     another so the rotation carries on across updates
     */
    public StaticStrideScheduler(float[] weights, AtomicInteger sequence) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("A scheduler needs at least one endpoint");
        }
        this.sequence = sequence;
        int weighted = 0;
        double sum = 0;
        double largest = 0;
        for (float w : weights) {
            if (w > 0) {
                weighted++;
                sum += w;
                largest = Math.max(largest, w);
            }
        }
        roundRobin = weighted < 2;
        double mean = weighted == 0 ? 1 : sum / weighted;
        double cap = roundRobin ? mean : Math.min(largest, MAX_RATIO * mean);
        double scale = MAX_WEIGHT / cap;
        int floor = (int) Math.ceil(scale * mean * MIN_RATIO);
        char meanScaled = (char) Math.round(scale * mean);
        scaled = new char[weights.length];
        for (int i = 0; i < weights.length; i++) {
            float w = weights[i];
            scaled[i] = roundRobin || !(w > 0) ? meanScaled
                    : (char) Math.max(floor, Math.round(scale * Math.min(w, cap)));
        }
    }

    /** Whether the weights made no difference: fewer than two endpoints had one (A58). */
    public boolean isRoundRobin() {
        return roundRobin;
    }

    /** The index of the endpoint to pick next. Any thread, lock-free. */
    public int pick() {
        char[] weights = scaled;
        int n = weights.length;
        while (true) {
            long turn = Integer.toUnsignedLong(sequence.getAndIncrement());
            long round = turn / n;
            int index = (int) (turn - round * n);
            int w = weights[index];
            // Half a cycle apart per index, so endpoints of equal weight do not skip the same rounds.
            long offset = (long) (MAX_WEIGHT / 2) * index;
            if ((w * round + offset) % MAX_WEIGHT >= MAX_WEIGHT - w) {
                return index;
            }
        }
    }

    /** The scaled weight of endpoint {@code index}, for tests. */
    int scaledWeight(int index) {
        return scaled[index];
    }
}
