package dev.lbchannel;

import dev.lbchannel.channelz.ChannelzIds;
import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.SocketStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subchannel's connections from the moment they are opened until they terminate, each with its
 * channelz socket id: draining ones included, since they still carry calls and must be shut down
 * with the subchannel. Changed on the serializer; {@link #snapshots()} reads a copy published on
 * every change, from any thread.
 */
final class SubchannelSockets {

    private final Map<ClientTransport, Long> open = new LinkedHashMap<>();
    private volatile Map<ClientTransport, Long> published = Map.of();

    void add(ClientTransport transport) {
        open.put(transport, ChannelzIds.next());
        published = Map.copyOf(open);
    }

    void remove(ClientTransport transport) {
        open.remove(transport);
        published = Map.copyOf(open);
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    /** A copy, so that shutting each down may remove it meanwhile. */
    List<ClientTransport> all() {
        return List.copyOf(open.keySet());
    }

    /** The connections that have socket statistics yet, for channelz; any thread. */
    List<SocketSnapshot> snapshots() {
        List<SocketSnapshot> sockets = new ArrayList<>();
        published.forEach((transport, socketId) -> {
            SocketStats stats = transport.stats();
            if (stats != null) {
                sockets.add(new SocketSnapshot(socketId, stats));
            }
        });
        return sockets;
    }
}
