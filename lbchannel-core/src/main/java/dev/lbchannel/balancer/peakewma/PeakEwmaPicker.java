package dev.lbchannel.balancer.peakewma;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * {@code peak_ewma}'s picker over the READY endpoints: sample {@code choiceCount} of them at
 * random, with replacement, and take the one of least {@link EwmaSubchannel#cost cost} (decayed
 * Peak-EWMA latency times calls in flight plus one); on a tie the one sampled first stays, as in
 * {@code least_request}. Costs are read without a lock while calls change them. A pick is one
 * read of the newest sample's time, {@code choiceCount} random numbers, and volatile reads and a
 * decay for each over a final array: no lock, no allocation, and no clock read (see
 * {@link SampleClock}). Immutable.
 */
final class PeakEwmaPicker implements Picker {

    private final EwmaSubchannel[] ready;
    private final int choiceCount;
    private final double decayNanos;
    private final double penaltyNanos;
    /** Given a bound, a uniformly random index below it; thread-safe. */
    private final IntUnaryOperator random;
    private final SampleClock clock;

    /** @param ready the READY subchannels, each an {@link EwmaSubchannel}; not empty */
    PeakEwmaPicker(List<Subchannel> ready, PeakEwmaConfig config, IntUnaryOperator random, SampleClock clock) {
        this.ready = ready.stream().map(EwmaSubchannel.class::cast).toArray(EwmaSubchannel[]::new);
        if (this.ready.length == 0) {
            throw new IllegalArgumentException("A peak_ewma picker needs at least one subchannel");
        }
        this.choiceCount = config.choiceCount();
        this.decayNanos = config.decayTime().toNanos();
        this.penaltyNanos = config.penaltyLatency().toNanos();
        this.random = random;
        this.clock = clock;
    }

    @Override
    public PickResult pick(PickArgs args) {
        EwmaSubchannel[] candidates = ready;
        int n = candidates.length;
        if (n == 1) {
            return candidates[0].result();
        }
        long now = clock.latest();
        EwmaSubchannel best = candidates[random.applyAsInt(n)];
        double least = best.cost(now, decayNanos, penaltyNanos);
        for (int i = 1; i < choiceCount; i++) {
            EwmaSubchannel sampled = candidates[random.applyAsInt(n)];
            double cost = sampled.cost(now, decayNanos, penaltyNanos);
            if (cost < least) { // strictly less: a tie keeps the earlier sample
                best = sampled;
                least = cost;
            }
        }
        return best.result();
    }

    @Override
    public String toString() {
        return "PeakEwmaPicker{" + ready.length + " ready, choiceCount " + choiceCount + "}";
    }
}
