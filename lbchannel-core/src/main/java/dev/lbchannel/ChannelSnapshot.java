package dev.lbchannel;

import dev.lbchannel.channelz.CallStats;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.channelz.TraceEvent;
import io.grpc.ConnectivityState;

import java.util.List;

/**
 * A channel at one moment, as channelz shows it: its target as configured, aggregate state, the
 * policy in use, call counts, subchannels with their sockets, and the recent trace. Immutable.
 */
public record ChannelSnapshot(long id, String target, ConnectivityState state, String lbPolicy,
        CallStats calls, List<SubchannelSnapshot> subchannels, List<TraceEvent> trace) {

    public ChannelSnapshot {
        subchannels = List.copyOf(subchannels);
        trace = List.copyOf(trace);
    }
}
