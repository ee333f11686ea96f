package dev.lbchannel.channelz;

import io.grpc.ConnectivityState;

import java.util.List;

/**
 * One subchannel at one moment: its endpoint's addresses ({@code host:port}, {@code [::1]:port}),
 * state, call counts, open connections and recent trace.
 */
public record SubchannelSnapshot(long id, List<String> addresses, ConnectivityState state,
        CallStats calls, List<SocketSnapshot> sockets, List<TraceEvent> trace) {

    public SubchannelSnapshot {
        addresses = List.copyOf(addresses);
        sockets = List.copyOf(sockets);
        trace = List.copyOf(trace);
    }
}
