package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.Await;
import io.grpc.ConnectivityState;

import java.util.List;

/** Bounded waits on what a channel's snapshot shows. */
final class ChannelConditions {

    private ChannelConditions() {
    }

    /** Leaves idle if need be, then waits until {@code count} subchannels are READY. */
    static void awaitReadySubchannels(LbChannel channel, int count) {
        channel.getState(true);
        Await.until(count + " READY subchannels on " + channel.target(),
                () -> readySubchannels(channel).size() == count);
    }

    static List<SubchannelSnapshot> readySubchannels(LbChannel channel) {
        return channel.snapshot().subchannels().stream().filter(s -> s.state() == ConnectivityState.READY).toList();
    }

    static void awaitState(LbChannel channel, ConnectivityState state) {
        Await.until(channel.target() + " in " + state, () -> channel.getState(false) == state);
    }
}
