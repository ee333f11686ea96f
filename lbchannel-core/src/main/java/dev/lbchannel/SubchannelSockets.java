package dev.lbchannel;

import dev.lbchannel.channelz.ChannelzIds;
import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.SocketStats;

import java.util.ArrayList;
import java.util.List;

/**
 * A subchannel's connections from the moment they are opened until they terminate, each with its
 * channelz socket id: draining ones included, since they still carry calls and must be shut down
 * with the subchannel. Changed on the serializer, rarely (a connection opens or ends), so the
 * list is copied on every change and read without a lock from any thread; a subchannel usually
 * holds one connection, and an immutable list of one costs less heap than any map of one.
 */
final class SubchannelSockets {

    private record Socket(ClientTransport transport, long id) {
    }

    private volatile List<Socket> sockets = List.of();

    void add(ClientTransport transport) {
        List<Socket> next = new ArrayList<>(sockets.size() + 1);
        next.addAll(sockets);
        next.add(new Socket(transport, ChannelzIds.next()));
        sockets = List.copyOf(next);
    }

    void remove(ClientTransport transport) {
        List<Socket> next = new ArrayList<>(sockets);
        next.removeIf(socket -> socket.transport == transport);
        sockets = List.copyOf(next);
    }

    boolean isEmpty() {
        return sockets.isEmpty();
    }

    /** Oldest first; a copy, so that shutting each down may remove it meanwhile. */
    List<ClientTransport> all() {
        List<Socket> current = sockets;
        List<ClientTransport> transports = new ArrayList<>(current.size());
        for (Socket socket : current) {
            transports.add(socket.transport);
        }
        return transports;
    }

    /** The connections that have socket statistics yet, for channelz; any thread. */
    List<SocketSnapshot> snapshots() {
        List<SocketSnapshot> snapshots = new ArrayList<>();
        for (Socket socket : sockets) {
            SocketStats stats = socket.transport.stats();
            if (stats != null) {
                snapshots.add(new SocketSnapshot(socket.id, stats));
            }
        }
        return snapshots;
    }
}
