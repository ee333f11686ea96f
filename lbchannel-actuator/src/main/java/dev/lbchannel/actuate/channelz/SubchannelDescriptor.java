package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.SubchannelSnapshot;

import java.util.List;
import java.util.Map;

/**
 * One subchannel: its endpoint's addresses ({@code host:port}, {@code [::1]:port}), connectivity
 * state, call counts, open connections, recent trace, connection counts, health check, and what
 * its load-balancing policy shows of it ({@code balancer}: {@code {"outstandingCalls":3}} under
 * {@code least_request}, {@code {"ringEntries":205}} under {@code ring_hash}, {@code {}} for
 * policies that show nothing).
 */
public record SubchannelDescriptor(long id, List<String> addresses, String state, CallsDescriptor calls,
        List<SocketDescriptor> sockets, List<TraceDescriptor> trace, ConnectionsDescriptor connections,
        HealthDescriptor health, Map<String, Long> balancer) {

    static SubchannelDescriptor of(SubchannelSnapshot subchannel) {
        return new SubchannelDescriptor(subchannel.id(), subchannel.addresses(), subchannel.state().name(),
                CallsDescriptor.of(subchannel.calls()),
                subchannel.sockets().stream().map(SocketDescriptor::of).toList(),
                TraceDescriptor.of(subchannel.trace()), ConnectionsDescriptor.of(subchannel.connections()),
                HealthDescriptor.of(subchannel.health()), subchannel.balancer());
    }
}
