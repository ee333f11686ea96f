package dev.lbchannel;

import dev.lbchannel.balancer.WeightUpdateReporter;
import dev.lbchannel.channelz.WeightStats;

import java.util.concurrent.atomic.LongAdder;

/**
 * The channel's side of {@link WeightUpdateReporter}: a weighted policy's updates, whichever
 * balancer (or nested policy) reports them, counted for channelz and gRFC A78's meters.
 * Written on the serializer, read from any thread.
 */
final class ChannelWeightUpdates implements WeightUpdateReporter {

    private final LongAdder updates = new LongAdder();
    private final LongAdder rrFallbacks = new LongAdder();
    private final LongAdder notYetUsable = new LongAdder();
    private final LongAdder stale = new LongAdder();

    @Override
    public void weightsUpdated(int notYetUsableEndpoints, int staleEndpoints, boolean roundRobinFallback) {
        updates.increment();
        if (roundRobinFallback) {
            rrFallbacks.increment();
        }
        notYetUsable.add(notYetUsableEndpoints);
        stale.add(staleEndpoints);
    }

    WeightStats snapshot() {
        return new WeightStats(updates.sum(), rrFallbacks.sum(), notYetUsable.sum(), stale.sum());
    }
}
