package dev.lbchannel;

import dev.lbchannel.balancer.WeightUpdateReporter;
import dev.lbchannel.channelz.WeightStats;

/**
 * The channel's side of {@link WeightUpdateReporter}: a weighted policy's updates, whichever
 * balancer (or nested policy) reports them, counted for channelz and gRFC A78's meters.
 * Written on the serializer, read from any thread.
 */
final class ChannelWeightUpdates implements WeightUpdateReporter {

    // Plain volatile fields, not adders: the serializer is the only writer, so an update needs no
    // atomicity, and every channel, weighted or not, carries these (issue 18, footprint).
    private volatile long updates;
    private volatile long rrFallbacks;
    private volatile long notYetUsable;
    private volatile long stale;

    @Override
    public void weightsUpdated(int notYetUsableEndpoints, int staleEndpoints, boolean roundRobinFallback) {
        updates++;
        if (roundRobinFallback) {
            rrFallbacks++;
        }
        notYetUsable += notYetUsableEndpoints;
        stale += staleEndpoints;
    }

    WeightStats snapshot() {
        return new WeightStats(updates, rrFallbacks, notYetUsable, stale);
    }
}
