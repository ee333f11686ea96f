package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * gRFC A48's picker over the READY endpoints: sample {@code choiceCount} of them at random, with
 * replacement (as Envoy does), and take the one with the fewest outstanding calls; on a tie the
 * one sampled first stays. The counts are read without a lock while calls change them, a race
 * A48 accepts. A pick is {@code choiceCount} random numbers and volatile reads over a final
 * array: no lock, no allocation. Immutable.
 */
final class LeastRequestPicker implements Picker {

    private final CountedSubchannel[] ready;
    private final int choiceCount;
    /** Given a bound, a uniformly random index below it; thread-safe. */
    private final IntUnaryOperator random;

    /** @param ready the READY subchannels, each a {@link CountedSubchannel}; not empty */
    LeastRequestPicker(List<Subchannel> ready, int choiceCount, IntUnaryOperator random) {
        this.ready = ready.stream().map(CountedSubchannel.class::cast).toArray(CountedSubchannel[]::new);
        if (this.ready.length == 0) {
            throw new IllegalArgumentException("A least-request picker needs at least one subchannel");
        }
        this.choiceCount = choiceCount;
        this.random = random;
    }

    @Override
    public PickResult pick(PickArgs args) {
        CountedSubchannel[] candidates = ready;
        int n = candidates.length;
        if (n == 1) {
            return candidates[0].result();
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

    @Override
    public String toString() {
        return "LeastRequestPicker{" + ready.length + " ready, choiceCount " + choiceCount + "}";
    }
}
