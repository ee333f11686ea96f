package dev.lbchannel;

import dev.lbchannel.balancer.Picker;
import dev.lbchannel.channelz.AttemptCounter;
import dev.lbchannel.channelz.CallCounter;
import dev.lbchannel.channelz.ChannelTrace;
import dev.lbchannel.channelz.ChannelzIds;
import dev.lbchannel.channelz.ConnectionCounter;
import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.serializer.Serializer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.CompressorRegistry;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A gRPC channel with client-side name resolution and load balancing (the seed's ClientConn).
 * Build one with {@link LbChannelBuilder#forTarget(String)}; use it with any grpc-java stub.
 *
 * <p>Thread-safe. RPCs read the current picker with one volatile read; everything else a channel
 * does (resolver results, balancer calls, subchannel state, idleness, shutdown) runs on its
 * {@link Serializer}, one task at a time. Where the channel is in its life, from idle to
 * terminated, is its {@link ChannelLifecycle}'s to say.
 */
public final class LbChannel extends ManagedChannel {

    private final long id = ChannelzIds.next();
    private final ChannelSettings settings;
    private final Serializer serializer;
    private final ScheduledExecutorService scheduler;
    private final Channel interceptedChannel;
    private final CallCounter calls = new CallCounter();
    private final AttemptCounter attempts = new AttemptCounter();
    private final ChannelEjections ejections = new ChannelEjections();
    private final ChannelWeightUpdates weightUpdates = new ChannelWeightUpdates();
    private final ChannelResolution resolution = new ChannelResolution();
    private final RetryBuffer retryBuffer;
    private final ConnectionCounter connections = new ConnectionCounter();
    private final ChannelTrace trace = new ChannelTrace();
    private final ConnectivityStateManager stateManager = new ConnectivityStateManager();
    private final ServiceConfigSelector configs;
    private final ChannelLifecycle lifecycle;
    private final ChannelUpdates updates;
    private final InUseAggregator inUse;
    private final PickerHolder pickerHolder;
    private final ChannelSubchannels subchannels;
    /** Calls whose attempt waits for its CallCredentials: shutdownNow must end them too. */
    private final Set<PreCommitStream> awaitingCredentials = ConcurrentHashMap.newKeySet();

    private volatile String lbPolicy;

    LbChannel(ChannelSettings settings) {
        this.settings = settings;
        this.serializer = new Serializer(this::uncaughtInSerializer);
        this.scheduler = settings.transportFactory().options().eventLoopGroup().next();
        this.retryBuffer = new RetryBuffer(settings.retryLimits().bufferSize());
        this.configs = new ServiceConfigSelector(settings.defaultServiceConfig(), settings.defaultPolicy(),
                settings.balancers(), trace);
        // Until a resolver says otherwise, the policy an idle channel will use is its default service config's.
        this.lbPolicy = configs.policyName(configs.current());
        this.lifecycle = new ChannelLifecycle(this, settings, configs);
        this.updates = new ChannelUpdates(this, settings, configs, lifecycle);
        this.inUse = new InUseAggregator(lifecycle::scheduleIdleTimer);
        this.pickerHolder = new PickerHolder(lifecycle.idlePicker(),
                () -> serializer.execute(lifecycle::onPendingChanged), lifecycle::panic);
        this.subchannels = new ChannelSubchannels(settings.authority(), settings.authorityOverridden(),
                new SubchannelContext(serializer, scheduler,
                        settings.transportFactory(), settings.backoffPolicy(), inUse, this::onSubchannelTerminated,
                        connections, settings.maxConnectionAgeNanos()));
        this.interceptedChannel = ClientInterceptors.intercept(
                new CallFactory(this, configs, settings.retryLimits().enabled()), settings.interceptors());
        trace.info("Channel created for target " + settings.target().text());
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
        return interceptedChannel.newCall(method, callOptions);
    }

    @Override
    public String authority() {
        return settings.authority();
    }

    /** The target as configured, or as last updated by {@link #updateTarget}. */
    public String target() {
        return updates.target().text();
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
        ConnectivityState state = stateManager.state();
        if (requestConnection && state == ConnectivityState.IDLE) {
            serializer.execute(lifecycle::requestConnection);
        }
        return state;
    }

    @Override
    public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
        serializer.execute(() -> stateManager.notifyWhenChanged(callback, settings.executor(), source));
    }

    @Override
    public void resetConnectBackoff() {
        serializer.execute(() -> {
            subchannels.forEach(DefaultSubchannel::resetBackoff);
            lifecycle.resetResolutionBackoff();
        });
    }

    /**
     * Asks the resolver for a fresh resolution now, as a balancer does after losing a connection
     * (resolvers may rate-limit it). Does nothing while the channel is idle.
     */
    public void refreshResolution() {
        serializer.execute(lifecycle::refreshResolution);
    }

    @Override
    public void enterIdle() {
        serializer.execute(lifecycle::enterIdle);
    }

    @Override
    public LbChannel shutdown() {
        lifecycle.shutdown();
        return this;
    }

    @Override
    public LbChannel shutdownNow() {
        lifecycle.shutdownNow();
        return this;
    }

    @Override
    public boolean isShutdown() {
        return lifecycle.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return lifecycle.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return lifecycle.awaitTermination(timeout, unit);
    }

    /**
     * Switches this TLS channel to a new client context without a restart, for a rotated
     * certificate, key or trust store: every connection opened from now on uses it. Each READY
     * connection is replaced by a new one to the same address, and drains (no new RPCs, in-flight
     * ones finish) only once its replacement is READY, so no RPC fails or waits and balancers see
     * no state change; a connection attempt in progress starts over. If a replacement cannot
     * connect (a context the server refuses), the old connection stays in use and the subchannel's
     * trace says why. Returns at once; the channel's trace records the switch. Any thread.
     *
     * <p>grpc-java has no equivalent; its users rotate with a custom {@code ProtocolNegotiator}
     * or a reloading {@code KeyManager}, and existing connections keep the old material.
     *
     * @param sslContext a client context, configured for gRPC as by
     *     {@link dev.lbchannel.transport.TlsContexts#configure}
     * @throws IllegalStateException if the channel uses plaintext
     * @throws IllegalArgumentException if {@code sslContext} is a server context
     */
    public void updateSslContext(SslContext sslContext) {
        settings.transportFactory().updateSslContext(requireNonNull(sslContext, "sslContext"));
        serializer.execute(() -> {
            trace.info("TLS context updated: connections are replaced with ones that use it");
            subchannels.forEach(subchannel -> subchannel.replaceConnection("TLS context updated"));
        });
    }

    /**
     * Resolves {@code target} from now on, without a restart: the channel's resolver is shut down
     * and one for the new target starts, while the balancer keeps serving from what it has until
     * the new resolver reports; subchannels of endpoints it reports again keep their connections.
     * The authority stays: a target whose scheme derives another one is refused, unless the
     * channel was built with {@code overrideAuthority}. Returns at once; the channel's trace
     * records the change. Ignored once the channel is shut down. Any thread.
     *
     * @throws IllegalArgumentException for a malformed target, an unknown scheme, a target its
     *     scheme rejects, or one that would change the authority; nothing changes then
     */
    public void updateTarget(String target) {
        updates.updateTarget(target);
    }

    /**
     * Replaces the default service config and the default policy, as set on the builder by
     * {@code defaultServiceConfig} and {@code defaultLoadBalancingPolicy}, without a restart. The
     * last resolution is applied again with them (a service config from the resolver still wins),
     * so a new policy takes over through the graceful switch: the old balancer keeps serving
     * until the new one is READY, and no call fails for the change. Returns at once; the channel's
     * trace records the change. Ignored once the channel is shut down. Any thread.
     *
     * @param serviceConfig gRPC's service config in its JSON shape, or {@code null} for none
     * @param defaultLoadBalancingPolicy the policy when no service config names one
     * @throws IllegalArgumentException for an invalid service config (the message names the
     *     field) or an unknown policy; nothing changes then
     */
    public void updateDefaultServiceConfig(@Nullable Map<String, ?> serviceConfig, String defaultLoadBalancingPolicy) {
        updates.updateDefaultServiceConfig(serviceConfig, defaultLoadBalancingPolicy);
    }

    /** What channelz shows of this channel now. Safe from any thread. */
    public ChannelSnapshot snapshot() {
        return new ChannelSnapshot(id, target(), stateManager.state(), lbPolicy,
                calls.snapshot(), subchannels.snapshots(), trace.events(), connections.snapshot(), attempts.snapshot(),
                ejections.snapshot(), weightUpdates.snapshot(), resolution.snapshot());
    }

    // ---- for the channel's insides -------------------------------------------------------------

    Serializer serializer() {
        return serializer;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Executor executor() {
        return settings.executor();
    }

    CompressorRegistry compressorRegistry() {
        return settings.compressorRegistry();
    }

    PickerHolder pickerHolder() {
        return pickerHolder;
    }

    ConnectivityStateManager stateManager() {
        return stateManager;
    }

    CallCounter calls() {
        return calls;
    }

    ChannelTrace trace() {
        return trace;
    }

    AttemptCounter attempts() {
        return attempts;
    }

    ChannelResolution resolution() {
        return resolution;
    }

    ChannelEjections ejections() {
        return ejections;
    }

    ChannelWeightUpdates weightUpdates() {
        return weightUpdates;
    }

    RetryLimits retryLimits() {
        return settings.retryLimits();
    }

    RetryBuffer retryBuffer() {
        return retryBuffer;
    }

    /** Counts a call as open; false when the channel is shutting down and the call must not start. */
    boolean callStarted() {
        return lifecycle.callStarted();
    }

    /** An open call finished; the channel may terminate once none is left. */
    void callFinished() {
        lifecycle.callFinished();
    }

    Set<PreCommitStream> awaitingCredentials() {
        return awaitingCredentials;
    }

    ChannelTarget currentTarget() {
        return updates.target();
    }

    /** The policy serving RPCs changed; for channelz. */
    void policyInUse(String policyName) {
        lbPolicy = policyName;
    }

    /** The service config calls use now; any thread. */
    ServiceConfig serviceConfig() {
        return configs.current();
    }

    // ---- on the serializer ---------------------------------------------------------------------

    ChannelSubchannels subchannels() {
        return subchannels;
    }

    void updateBalancingState(ConnectivityState state, Picker picker) {
        pickerHolder.update(picker);
        if (!lifecycle.isShutdown()) {
            if (state != stateManager.state()) {
                trace.info("Entering " + state);
            }
            stateManager.update(state);
        }
    }

    void refreshNameResolution() {
        lifecycle.refreshResolution();
    }

    boolean isInUse() {
        return inUse.isInUse();
    }

    /** Whether calls wait for a picker, which keeps the channel from going idle. */
    void pendingInUse(boolean pending) {
        inUse.update(pickerHolder, pending);
    }

    /** What a balancer, resolver or subchannel task threw on the serializer: the channel panics. */
    private void uncaughtInSerializer(Thread thread, Throwable error) {
        lifecycle.panicInContext(error);
    }

    private void onSubchannelTerminated(DefaultSubchannel subchannel) {
        subchannels.terminated(subchannel);
        lifecycle.maybeTerminate();
    }

    @Override
    public String toString() {
        return "LbChannel{id=" + id + ", target=" + target() + "}";
    }
}
