package dev.lbchannel;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.balancer.SubchannelStateListener;
import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.channelz.CallCounter;
import dev.lbchannel.channelz.ChannelTrace;
import dev.lbchannel.channelz.ChannelzIds;
import dev.lbchannel.channelz.ConnectionCounter;
import dev.lbchannel.channelz.SubchannelGauges;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.orca.OrcaOobWatcher;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.transport.ClientTransport;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one {@link Subchannel} implementation (the seed's addrConn): connects its endpoint's
 * addresses in order, reports IDLE → CONNECTING → READY / TRANSIENT_FAILURE, waits out
 * connection backoff between failed passes, and drains its connections when shut down. A
 * health-checked one reports through its health check (gRFC A17, in its {@link ConnectionStreams}).
 *
 * <p>Runs on the channel's serializer, except {@link #readyTransport()}, which RPCs call from
 * any thread (two volatile reads), and the snapshot methods.
 */
final class DefaultSubchannel implements Subchannel {

    private final long id = ChannelzIds.next();
    private final SubchannelContext context;
    private final Serializer serializer;
    private final ConnectionAuthority authority;
    private final CallCounter calls = new CallCounter();
    private final ConnectionCounter connections;
    private final ChannelTrace trace = new ChannelTrace();
    private final Backoff backoff;
    final SubchannelGauges gauges = new SubchannelGauges(); // its policy's numbers, for channelz
    /** Health checking and out-of-band load reports on its connection, as its policy asked. */
    private final ConnectionStreams streams;

    private final AddressPass pass;
    private volatile ConnectivityStateInfo state = ConnectivityStateInfo.forNonError(ConnectivityState.IDLE);
    private @Nullable SubchannelStateListener listener;
    private Serializer.@Nullable ScheduledHandle reconnectTimer;
    private @Nullable ClientTransport pendingTransport;
    private volatile @Nullable ClientTransport activeTransport;
    /** Every transport not yet terminated. */
    private final SubchannelSockets transports = new SubchannelSockets();
    private boolean shutdown;
    /** Replacing the READY connection with a fresh one; see {@link #replaceConnection}. */
    private @Nullable ConnectionHandoff handoff;
    private final ConnectionAging aging;

    /**
     * @param healthServiceName the service config's health-check service name now, used only
     *     when {@code options} ask for health checking
     */
    DefaultSubchannel(Endpoint endpoint, ConnectionAuthority authority, SubchannelContext context, SubchannelOptions options,
            @Nullable String healthServiceName) {
        this.pass = new AddressPass(endpoint);
        this.authority = authority;
        this.context = context;
        this.serializer = context.serializer();
        this.backoff = new Backoff(context.backoffPolicy());
        this.connections = context.connections().forSubchannel();
        this.aging = new ConnectionAging(context.maxConnectionAgeNanos(), serializer, context.scheduler(),
                () -> replaceConnection("it reached the channel's maximum connection age"));
        this.streams = new ConnectionStreams(this, context, options.healthChecked(), healthServiceName,
                this::readyTransport, trace);
        trace.info("Subchannel created for " + endpoint);
    }

    /** The subchannel behind one a balancer returned from a pick, through any parent policy's wrappers. */
    static DefaultSubchannel unwrap(Subchannel subchannel) {
        Subchannel current = subchannel;
        while (current instanceof ForwardingSubchannel wrapper) {
            current = wrapper.delegate();
        }
        if (current instanceof DefaultSubchannel own) {
            return own;
        }
        throw new IllegalStateException("A picker returned a subchannel " + subchannel
                + " that this channel did not create; balancers must pick subchannels from their helper");
    }

    @Override
    public void start(SubchannelStateListener stateListener) {
        serializer.assertInContext();
        if (listener != null) {
            throw new IllegalStateException("Subchannel already started");
        }
        listener = streams.start(stateListener);
    }

    /** The service config's health-check service name changed; {@code null} for none. */
    void healthServiceName(@Nullable String serviceName) {
        streams.healthServiceName(serviceName);
    }

    @Override
    public void requestConnection() {
        serializer.assertInContext();
        if (!shutdown && state.getState() == ConnectivityState.IDLE) {
            connectNext();
        }
    }

    /**
     * Takes a new address list, as grpc-java's InternalSubchannel does. READY on an address that
     * left: drops the connection and goes IDLE. CONNECTING to an address that left: starts over on
     * the new list from its first address at once; the abandoned attempt is no failure, so the
     * subchannel never reports TRANSIENT_FAILURE for addresses it did not try. CONNECTING to an
     * address still listed: keeps that attempt, and the pass goes on from its place in the new
     * list. Waiting in backoff (or IDLE): the next pass uses the new list from its start. O(1) for
     * a change derived from the old list ({@link AddressUpdate}), unless an attempt needs its place.
     */
    @Override
    public void updateEndpoint(Endpoint newEndpoint) {
        serializer.assertInContext();
        if (shutdown) {
            pass.replace(newEndpoint);
            return;
        }
        AddressUpdate update = pass.update(newEndpoint);
        if (update.isUnchanged()) {
            return;
        }
        trace.info(update.toString());
        ClientTransport active = activeTransport;
        ClientTransport pending = pendingTransport;
        if (active != null && !update.keeps(active.remoteAddress())) {
            dropActive(active);
        } else if (pending != null && !update.keeps(pending.remoteAddress())) {
            restartConnecting(pending);
        } else if (pending != null) {
            pass.resumeAt(pending.remoteAddress());
        }
    }

    /** The connected address left the endpoint: RPCs stop using it now, and it drains. */
    private void dropActive(ClientTransport active) {
        abandonHandoff("the address left the endpoint");
        activeTransport = null;
        pass.restart();
        connections.disconnected();
        trace.info("Dropping the connection to " + SocketAddresses.text(active.remoteAddress())
                + ": the address left the endpoint");
        setState(ConnectivityStateInfo.forNonError(ConnectivityState.IDLE));
        active.shutdown(Status.UNAVAILABLE.withDescription("The address left the endpoint"));
    }

    /** The address being tried left the endpoint: abandon it (no failure) and try the new list. */
    private void restartConnecting(ClientTransport pending) {
        pendingTransport = null;
        pass.restart();
        pending.shutdown(Status.UNAVAILABLE.withDescription("The address left the endpoint"));
        connectNext();
    }

    @Override
    public void shutdown() {
        serializer.assertInContext();
        if (shutdown) {
            return;
        }
        shutdown = true;
        aging.cancel();
        streams.shutdown();   // an open stream would keep the connection from draining
        cancelReconnect();
        setState(ConnectivityStateInfo.forNonError(ConnectivityState.SHUTDOWN));
        activeTransport = null;
        pendingTransport = null;
        Status reason = Status.UNAVAILABLE.withDescription("Subchannel shut down");
        for (ClientTransport transport : transports.all()) {
            transport.shutdown(reason);
        }
        if (transports.isEmpty()) {
            context.onTerminated().accept(this);
        }
    }

    /** Fails every RPC on this subchannel's connections; for the channel's {@code shutdownNow}. */
    void shutdownNow(Status reason) {
        shutdown();
        for (ClientTransport transport : transports.all()) {
            transport.shutdownNow(reason);
        }
    }

    /**
     * Moves onto a fresh connection made with the transport factory's current settings (a new TLS
     * context): READY, through a {@link ConnectionHandoff}, so no RPC waits or fails; CONNECTING,
     * by starting the attempt over. IDLE or in backoff, the next attempt uses them anyway.
     */
    void replaceConnection(String reason) {
        serializer.assertInContext();
        ClientTransport active = activeTransport;
        ClientTransport pending = pendingTransport;
        if (!shutdown && active != null) {
            abandonHandoff("a newer replacement supersedes it");
            ClientTransport replacement = open(active.remoteAddress());
            handoff = new ConnectionHandoff(active, replacement, reason, trace, connections);
            replacement.start(new SubchannelTransportEvents(this, serializer, replacement));
        } else if (!shutdown && pending != null) {
            trace.info("Restarting the connection attempt to " + SocketAddresses.text(pending.remoteAddress()) + ": " + reason);
            pendingTransport = null;
            pending.shutdown(Status.UNAVAILABLE.withDescription("Connection attempt restarted: " + reason));
            connectNext();
        }
    }

    /** Skips the wait of a subchannel in backoff and connects now. */
    void resetBackoff() {
        serializer.assertInContext();
        backoff.reset();
        if (reconnectTimer != null && reconnectTimer.isPending()) {
            cancelReconnect();
            connectNext();
        }
    }

    @Override
    public Endpoint endpoint() {
        return pass.endpoint();
    }

    /** The READY connection for new RPCs, or {@code null}, also once it is going away. Any thread. */
    @Nullable ClientTransport readyTransport() {
        ClientTransport transport = activeTransport;
        // A GOAWAY turns the transport away on its event loop at once; this subchannel hears it
        // only when the serializer gets round to it, and no new call may be handed over meanwhile.
        if (transport != null && transport.isShutdown()) {
            // Unless a handoff retired it: its replacement was published before it began going away.
            transport = activeTransport;
        }
        return transport == null || transport.isShutdown() ? null : transport;
    }

    /** This subchannel's out-of-band load reporting; made on first use, on the serializer. */
    OrcaOobWatcher orcaReports() {
        serializer.assertInContext();
        return streams.orca(state.getState());
    }

    CallCounter calls() {
        return calls;
    }

    /** Its channelz id. */
    long id() {
        return id;
    }

    ConnectivityState state() {
        return state.getState();
    }

    private void connectNext() {
        if (state.getState() != ConnectivityState.CONNECTING) {
            setState(ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING));
        }
        ClientTransport transport = open(pass.current());
        pendingTransport = transport;
        transport.start(new SubchannelTransportEvents(this, serializer, transport));
    }

    /** An unstarted transport, tracked (channelz, termination) until it terminates. */
    private ClientTransport open(SocketAddress address) {
        ClientTransport transport = context.transports().newTransport(address, authority.forAddress(pass.endpoint(), address),
                backoff.connectTimeoutNanos());
        transports.add(transport);
        return transport;
    }

    void onTransportReady(ClientTransport transport) {
        ConnectionHandoff replacing = handoff;
        if (!shutdown && replacing != null && transport == replacing.replacement()) {
            handoff = null;
            activeTransport = transport; // before the old connection starts turning picks away
            streams.connectionReplaced();
            replacing.complete();
            aging.connected();
            return;
        }
        if (shutdown || transport != pendingTransport) {
            transport.shutdown(Status.UNAVAILABLE.withDescription("Connection no longer needed"));
            return;
        }
        pendingTransport = null;
        activeTransport = transport;
        connections.attemptSucceeded();
        pass.restart();
        backoff.reset();
        setState(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        aging.connected();
    }

    void onTransportShutdown(ClientTransport transport, Status reason) {
        if (shutdown) {
            return;
        }
        ConnectionHandoff replacing = handoff;
        if (replacing != null && transport == replacing.replacement()) {
            handoff = null;
            replacing.failed(reason);
            aging.connected();   // the old connection serves on; it is tried again an age later
        } else if (transport == activeTransport) {
            abandonHandoff("the connection it was to replace is gone");
            aging.cancel();
            activeTransport = null;
            pass.restart();
            connections.disconnected();
            trace.info("Connection to " + SocketAddresses.text(transport.remoteAddress()) + " lost: " + reason.getCode());
            setState(ConnectivityStateInfo.forNonError(ConnectivityState.IDLE));
        } else if (transport == pendingTransport) {
            pendingTransport = null;
            connections.attemptFailed();
            if (pass.advance()) {
                connectNext();
                return;
            }
            setState(ConnectivityStateInfo.forTransientFailure(reason));
            long delay = backoff.nextDelayNanos();
            reconnectTimer = serializer.schedule(this::onReconnectTimer, delay, TimeUnit.NANOSECONDS, context.scheduler());
        }
    }

    private void onReconnectTimer() {
        reconnectTimer = null;
        if (!shutdown) {
            connectNext();
        }
    }

    void onTransportTerminated(ClientTransport transport) {
        transports.remove(transport);
        context.inUse().update(transport, false);
        if (shutdown && transports.isEmpty()) {
            context.onTerminated().accept(this);
        }
    }

    void onTransportInUse(ClientTransport transport, boolean inUse) {
        context.inUse().update(transport, inUse);
    }

    private void abandonHandoff(String why) {
        if (handoff != null) {
            handoff.abandon(why);
            handoff = null;
        }
    }

    private void cancelReconnect() {
        if (reconnectTimer != null) {
            reconnectTimer.cancel();
            reconnectTimer = null;
        }
    }

    private void setState(ConnectivityStateInfo newState) {
        if (state.equals(newState)) {
            return;
        }
        state = newState;
        trace.stateEntered(newState);
        if (!shutdown) {
            streams.connectionState(newState.getState());
        }
        if (listener != null && !shutdown) {
            listener.onStateChange(newState);
        }
    }

    /** This subchannel for channelz; safe from any thread. */
    SubchannelSnapshot snapshot() {
        List<String> addresses = pass.endpoint().addresses().stream().map(SocketAddresses::text).toList();
        return new SubchannelSnapshot(id, addresses, state.getState(), calls.snapshot(), transports.snapshots(),
                trace.events(), connections.snapshot(), streams.health(),
                gauges.snapshot());
    }

    /** {@code host:port}, {@code [v6]:port}, or the address's own text for other kinds. */
    @Override
    public String toString() {
        return "Subchannel{" + id + " " + pass.endpoint() + "}";
    }
}
