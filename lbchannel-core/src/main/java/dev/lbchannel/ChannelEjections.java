package dev.lbchannel;

import dev.lbchannel.balancer.EjectionReporter;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.channelz.DetectionMethod;
import dev.lbchannel.channelz.EjectionCounter;
import dev.lbchannel.channelz.EjectionStats;
import dev.lbchannel.channelz.UnenforcedReason;

/**
 * The channel's side of {@link EjectionReporter}: what outlier detection reports lands in one
 * {@link EjectionCounter} per channel, whichever balancer (or nested policy) reports it, with
 * subchannels named by their channelz ids. Thread-safe.
 */
final class ChannelEjections implements EjectionReporter {

    private final EjectionCounter counter = new EjectionCounter();

    @Override
    public void ejectionChanged(Subchannel subchannel, boolean ejected) {
        counter.ejected(DefaultSubchannel.unwrap(subchannel).id(), ejected);
    }

    @Override
    public void ejectionEnforced(DetectionMethod method) {
        counter.enforced(method);
    }

    @Override
    public void ejectionUnenforced(DetectionMethod method, UnenforcedReason reason) {
        counter.unenforced(method, reason);
    }

    EjectionStats snapshot() {
        return counter.snapshot();
    }
}
