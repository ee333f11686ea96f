package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.SubchannelSnapshot;

import java.util.List;

/**
 * One subchannel: its endpoint's addresses ({@code host:port}, {@code [::1]:port}), connectivity
 * state, call counts, open connections, recent trace, connection counts and health check.
 */
public record SubchannelDescriptor(long id, List<String> addresses, String state, CallsDescriptor calls,
        List<SocketDescriptor> sockets, List<TraceDescriptor> trace, ConnectionsDescriptor connections,
        HealthDescriptor health) {

    static SubchannelDescriptor of(SubchannelSnapshot subchannel) {
        return new SubchannelDescriptor(subchannel.id(), subchannel.addresses(), subchannel.state().name(),
                CallsDescriptor.of(subchannel.calls()),
                subchannel.sockets().stream().map(SocketDescriptor::of).toList(),
                TraceDescriptor.of(subchannel.trace()), ConnectionsDescriptor.of(subchannel.connections()),
                HealthDescriptor.of(subchannel.health()));
    }
}
