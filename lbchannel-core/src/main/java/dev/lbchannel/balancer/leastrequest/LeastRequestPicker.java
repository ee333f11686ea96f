package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * gRFC A48's picker over the READY endpoints: sample {@code choiceCount} of them at random, with
 * replacement (as Envoy does), and take the one with the fewest outstanding calls; on a tie the
 * one sampled first stays. The counts are read without a lock while calls change them, a race
 * A48 accepts. While endpoints ramp up under slow start, an endpoint's count of calls in flight,
 * plus one (so that an idle ramping endpoint still costs more than an idle warm one), is divided by
 * its factor, so it takes about its factor's share of what its count alone would give it, and it
 * always meets at least one other endpoint in a pick (see {@link #pickRamping}). A pick
 * is {@code choiceCount} random numbers and volatile reads over a final array: no lock, no
 * allocation. Immutable.
 */
final class LeastRequestPicker implements Picker {

    private final CountedSubchannel[] ready;
    private final int choiceCount;
    /** Given a bound, a uniformly random index below it; thread-safe. */
    private final IntUnaryOperator random;
    /** Each endpoint's slow-start factor, by index, or {@code null} when none ramps. */
    private final float @Nullable [] factors;

    /**
     * @param ready   the READY subchannels, each a {@link CountedSubchannel}; not empty
     * @param factors their slow-start factors, in order, or {@code null} when none ramps
     */
    LeastRequestPicker(List<Subchannel> ready, int choiceCount, IntUnaryOperator random,
            float @Nullable [] factors) {
        this.ready = ready.stream().map(CountedSubchannel.class::cast).toArray(CountedSubchannel[]::new);
        if (this.ready.length == 0) {
            throw new IllegalArgumentException("A least-request picker needs at least one subchannel");
        }
        this.choiceCount = choiceCount;
        this.random = random;
        this.factors = factors;
    }

    /** A48's picker, without slow start. */
    LeastRequestPicker(List<Subchannel> ready, int choiceCount, IntUnaryOperator random) {
        this(ready, choiceCount, random, null);
    }

    @Override
    public PickResult pick(PickArgs args) {
        CountedSubchannel[] candidates = ready;
        int n = candidates.length;
        if (n == 1) {
            return candidates[0].result();
        }
        if (factors != null) {
            return pickRamping(candidates, factors);
        }
        CountedSubchannel best = candidates[random.applyAsInt(n)];
        int fewest = best.outstanding();
        for (int i = 1; i < choiceCount; i++) {
            CountedSubchannel sampled = candidates[random.applyAsInt(n)];
            int outstanding = sampled.outstanding();
            if (outstanding < fewest) { // strictly fewer: a tie keeps the earlier sample (A48)
                best = sampled;
                fewest = outstanding;
            }
        }
        return best.result();
    }

    /**
     * As {@link #pick}, each sample's calls in flight plus one divided by its slow-start factor.
     * Every later sample is drawn from the endpoints other than the first sample's: with
     * replacement, a ramping endpoint sampled twice would win whatever its factor, a floor of
     * 1/n² of the picks (4 % of them with five endpoints) that no factor could lower, while it is
     * at its slowest.
     */
    private PickResult pickRamping(CountedSubchannel[] candidates, float[] factors) {
        int n = candidates.length;
        int first = random.applyAsInt(n);
        int best = first;
        float least = (candidates[best].outstanding() + 1) / factors[best];
        for (int i = 1; i < choiceCount; i++) {
            int sampled = random.applyAsInt(n - 1);
            if (sampled >= first) {
                sampled++;
            }
            float cost = (candidates[sampled].outstanding() + 1) / factors[sampled];
            if (cost < least) {
                best = sampled;
                least = cost;
            }
        }
        return candidates[best].result();
    }

    @Override
    public String toString() {
        return "LeastRequestPicker{" + ready.length + " ready, choiceCount " + choiceCount + "}";
    }
}
