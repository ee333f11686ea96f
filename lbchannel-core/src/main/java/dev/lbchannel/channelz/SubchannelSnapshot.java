package dev.lbchannel.channelz;

import io.grpc.ConnectivityState;

import java.util.List;

/**
 * One subchannel at one moment: its endpoint's addresses ({@code host:port}, {@code [::1]:port}),
 * state, call counts, open connections, recent trace, and connection counts (gRFC A94).
 */
public record SubchannelSnapshot(long id, List<String> addresses, ConnectivityState state,
        CallStats calls, List<SocketSnapshot> sockets, List<TraceEvent> trace, ConnectionStats connections) {

    /** A snapshot without connection counts, as before they were kept. */
    public SubchannelSnapshot(long id, List<String> addresses, ConnectivityState state,
            CallStats calls, List<SocketSnapshot> sockets, List<TraceEvent> trace) {
        this(id, addresses, state, calls, sockets, trace, ConnectionStats.NONE);
    }

    public SubchannelSnapshot {
        addresses = List.copyOf(addresses);
        sockets = List.copyOf(sockets);
        trace = List.copyOf(trace);
    }
}
