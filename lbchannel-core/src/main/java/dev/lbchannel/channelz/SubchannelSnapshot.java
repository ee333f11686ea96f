package dev.lbchannel.channelz;

import io.grpc.ConnectivityState;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * One subchannel at one moment: its endpoint's addresses ({@code host:port}, {@code [::1]:port}),
 * state, call counts, open connections, recent trace, connection counts (gRFC A94), and what
 * client-side health checking knows of it (gRFC A17). {@code state} is the connection's: a READY
 * subchannel whose {@code health} is unhealthy is connected but gets no calls.
 *
 * @param balancer what its load-balancing policy shows of it, by name, sorted: {@code
 *     outstandingCalls} under {@code least_request}, {@code ringEntries} under {@code ring_hash};
 *     empty for policies that show nothing
 */
public record SubchannelSnapshot(long id, List<String> addresses, ConnectivityState state,
        CallStats calls, List<SocketSnapshot> sockets, List<TraceEvent> trace, ConnectionStats connections,
        SubchannelHealth health, Map<String, Long> balancer) {

    /** A snapshot without policy gauges, as before policies showed any. */
    public SubchannelSnapshot(long id, List<String> addresses, ConnectivityState state,
            CallStats calls, List<SocketSnapshot> sockets, List<TraceEvent> trace, ConnectionStats connections,
            SubchannelHealth health) {
        this(id, addresses, state, calls, sockets, trace, connections, health, Map.of());
    }

    /** A snapshot without health, as before health was checked. */
    public SubchannelSnapshot(long id, List<String> addresses, ConnectivityState state,
            CallStats calls, List<SocketSnapshot> sockets, List<TraceEvent> trace, ConnectionStats connections) {
        this(id, addresses, state, calls, sockets, trace, connections, SubchannelHealth.NOT_CHECKED, Map.of());
    }

    /** A snapshot without connection counts, as before they were kept. */
    public SubchannelSnapshot(long id, List<String> addresses, ConnectivityState state,
            CallStats calls, List<SocketSnapshot> sockets, List<TraceEvent> trace) {
        this(id, addresses, state, calls, sockets, trace, ConnectionStats.NONE, SubchannelHealth.NOT_CHECKED,
                Map.of());
    }

    public SubchannelSnapshot {
        addresses = List.copyOf(addresses);
        sockets = List.copyOf(sockets);
        trace = List.copyOf(trace);
        requireNonNull(health, "health");
        balancer = balancer.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(balancer));
    }
}
