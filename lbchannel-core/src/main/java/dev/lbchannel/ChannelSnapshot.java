package dev.lbchannel;

import dev.lbchannel.channelz.AttemptStats;
import dev.lbchannel.channelz.CallStats;
import dev.lbchannel.channelz.ConnectionStats;
import dev.lbchannel.channelz.EjectionStats;
import dev.lbchannel.channelz.ResolutionStats;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.channelz.WeightStats;
import io.grpc.ConnectivityState;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A channel at one moment, as channelz shows it: its target as configured, aggregate state, the
 * policy in use, call counts, subchannels with their sockets, the recent trace, and the connection
 * counts of all its subchannels, past ones included (gRFC A94), and the extra attempts its calls
 * made (retries, transparent retries, hedges; gRFC A6), and its policy's outlier ejections (gRFC
 * A50, A91), the weight updates of a weighted policy (gRFC A58, A78), and what its resolver
 * reported. Immutable.
 */
public record ChannelSnapshot(long id, String target, ConnectivityState state, String lbPolicy,
        CallStats calls, List<SubchannelSnapshot> subchannels, List<TraceEvent> trace, ConnectionStats connections,
        AttemptStats attempts, EjectionStats ejections, WeightStats weights, ResolutionStats resolution) {

    /** A snapshot without resolution figures, as before they were kept. */
    public ChannelSnapshot(long id, String target, ConnectivityState state, String lbPolicy,
            CallStats calls, List<SubchannelSnapshot> subchannels, List<TraceEvent> trace, ConnectionStats connections,
            AttemptStats attempts, EjectionStats ejections, WeightStats weights) {
        this(id, target, state, lbPolicy, calls, subchannels, trace, connections, attempts, ejections, weights,
                ResolutionStats.NONE);
    }

    /** A snapshot without weight updates or resolution figures, as before weighted_round_robin. */
    public ChannelSnapshot(long id, String target, ConnectivityState state, String lbPolicy,
            CallStats calls, List<SubchannelSnapshot> subchannels, List<TraceEvent> trace, ConnectionStats connections,
            AttemptStats attempts, EjectionStats ejections) {
        this(id, target, state, lbPolicy, calls, subchannels, trace, connections, attempts, ejections, WeightStats.NONE,
                ResolutionStats.NONE);
    }

    /** A snapshot without ejections, as before outlier detection. */
    public ChannelSnapshot(long id, String target, ConnectivityState state, String lbPolicy,
            CallStats calls, List<SubchannelSnapshot> subchannels, List<TraceEvent> trace, ConnectionStats connections,
            AttemptStats attempts) {
        this(id, target, state, lbPolicy, calls, subchannels, trace, connections, attempts, EjectionStats.NONE);
    }

    /** A snapshot without attempt counts, as before they were kept. */
    public ChannelSnapshot(long id, String target, ConnectivityState state, String lbPolicy,
            CallStats calls, List<SubchannelSnapshot> subchannels, List<TraceEvent> trace, ConnectionStats connections) {
        this(id, target, state, lbPolicy, calls, subchannels, trace, connections, AttemptStats.NONE, EjectionStats.NONE);
    }

    /** A snapshot without connection counts, as before they were kept. */
    public ChannelSnapshot(long id, String target, ConnectivityState state, String lbPolicy,
            CallStats calls, List<SubchannelSnapshot> subchannels, List<TraceEvent> trace) {
        this(id, target, state, lbPolicy, calls, subchannels, trace, ConnectionStats.NONE, AttemptStats.NONE,
                EjectionStats.NONE);
    }

    public ChannelSnapshot {
        subchannels = List.copyOf(subchannels);
        trace = List.copyOf(trace);
        requireNonNull(ejections, "ejections");
        requireNonNull(weights, "weights");
        requireNonNull(resolution, "resolution");
    }
}
