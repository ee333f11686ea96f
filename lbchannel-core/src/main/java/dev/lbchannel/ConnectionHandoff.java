package dev.lbchannel;

import dev.lbchannel.channelz.ChannelTrace;
import dev.lbchannel.channelz.ConnectionCounter;
import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.transport.ClientTransport;
import io.grpc.Status;

/**
 * Moves one READY subchannel from its connection to a fresh one to the same address without a
 * gap: for a new TLS context now, for a client-side maximum connection age later. The old
 * connection keeps serving while the replacement connects; only once the replacement is READY do
 * new RPCs go to it, and the old connection drains (GOAWAY: no new streams, in-flight RPCs finish,
 * then it closes). The subchannel stays READY throughout, so its balancer never sees the swap and
 * no RPC waits or fails.
 *
 * <p>A replacement that fails leaves the old connection serving (a warning in the subchannel's
 * trace); if the old connection goes first, the handoff is abandoned and the subchannel
 * reconnects as it always does, with the factory's current settings.
 *
 * <p>Confined to the channel's serializer, like the {@link DefaultSubchannel} that owns it; the
 * subchannel routes the replacement's events here and swaps its connection on {@link #complete()}.
 */
final class ConnectionHandoff {

    private final ClientTransport current;
    private final ClientTransport replacement;
    private final String reason;
    private final ChannelTrace trace;
    private final ConnectionCounter connections;

    /**
     * Starts tracking a handoff; the caller starts {@code replacement}.
     *
     * @param reason why the connection is replaced, for the trace and the old connection's GOAWAY
     *     status; never key material or other secrets
     */
    ConnectionHandoff(ClientTransport current, ClientTransport replacement, String reason, ChannelTrace trace,
            ConnectionCounter connections) {
        this.current = current;
        this.replacement = replacement;
        this.reason = reason;
        this.trace = trace;
        this.connections = connections;
        trace.info("Replacing the connection to " + address() + ": " + reason);
    }

    /** The new connection, not yet READY. */
    ClientTransport replacement() {
        return replacement;
    }

    /**
     * The replacement is READY: the old connection starts draining. The caller must already have
     * made the replacement its connection for new RPCs, so that no pick finds the old one going
     * away with nothing in its place.
     */
    void complete() {
        connections.attemptSucceeded();
        connections.disconnected(); // the old connection is retired, as when its address leaves
        trace.info("Replacement connection to " + address() + " is READY; the old one drains");
        current.shutdown(Status.UNAVAILABLE.withDescription("Connection replaced: " + reason));
    }

    /** The replacement failed before it was READY: the old connection stays in use. */
    void failed(Status status) {
        connections.attemptFailed();
        trace.warning("Replacement connection to " + address() + " failed, the current one stays in use: "
                + status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription()));
    }

    /** Gives up on the replacement: a newer handoff supersedes it, or the old connection is gone. */
    void abandon(String why) {
        trace.info("Abandoning the replacement connection to " + address() + ": " + why);
        replacement.shutdown(Status.UNAVAILABLE.withDescription("Replacement abandoned: " + why));
    }

    private String address() {
        return SocketAddresses.text(current.remoteAddress());
    }
}
