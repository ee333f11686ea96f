package dev.lbchannel;

import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.channelz.CallCounter;
import dev.lbchannel.channelz.ChannelTrace;
import dev.lbchannel.channelz.ChannelzIds;
import dev.lbchannel.channelz.ConnectionCounter;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.CompressorRegistry;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A gRPC channel with client-side name resolution and load balancing (the seed's ClientConn).
 * Build one with {@link LbChannelBuilder#forTarget(String)}; use it with any grpc-java stub.
 *
 * <p>Thread-safe. RPCs read the current picker with one volatile read; everything else a channel
 * does (resolver results, balancer calls, subchannel state, idleness, shutdown) runs on its
 * {@link Serializer}, one task at a time.
 */
public final class LbChannel extends ManagedChannel {

    private static final Logger logger = Logger.getLogger(LbChannel.class.getName());
    private static final Status SHUTDOWN_STATUS = Status.UNAVAILABLE.withDescription("Channel shutdown invoked");

    private final long id = ChannelzIds.next();
    private final ChannelSettings settings;
    private final Serializer serializer;
    private final ScheduledExecutorService scheduler;
    private final Channel interceptedChannel;
    private final CallCounter calls = new CallCounter();
    private final ConnectionCounter connections = new ConnectionCounter();
    private final ChannelTrace trace = new ChannelTrace();
    private final ConnectivityStateManager stateManager = new ConnectivityStateManager();
    private final ChannelLifecycle lifecycle;
    private final InUseAggregator inUse;
    private final PickerHolder pickerHolder;
    private final SubchannelContext subchannelContext;
    private final Picker idlePicker;
    /** Calls whose attempt waits for its CallCredentials: shutdownNow must end them too. */
    private final Set<PreCommitStream> awaitingCredentials = ConcurrentHashMap.newKeySet();

    // Confined to the serializer.
    private final Set<DefaultSubchannel> subchannels = new LinkedHashSet<>();
    private final ServiceConfigSelector configs;
    /** The resolver and balancer while they run: ACTIVE, or shutting down with calls still parked. */
    private @Nullable NameResolution resolution;
    private Serializer.@Nullable ScheduledHandle idleTimer;
    private @Nullable Status panic;

    private volatile List<DefaultSubchannel> subchannelsView = List.of();
    private volatile String lbPolicy;

    LbChannel(ChannelSettings settings) {
        this.settings = settings;
        this.serializer = new Serializer((thread, error) -> enterPanic(panicStatus(error), error));
        this.lifecycle = new ChannelLifecycle(() -> serializer.execute(this::maybeTerminate));
        this.scheduler = settings.transportFactory().options().eventLoopGroup().next();
        this.lbPolicy = settings.defaultPolicy();
        this.inUse = new InUseAggregator(this::cancelIdleTimer, this::scheduleIdleTimer);
        this.idlePicker = args -> {
            serializer.execute(this::exitIdleMode);
            return PickResult.withNoResult();
        };
        this.pickerHolder = new PickerHolder(idlePicker, () -> serializer.execute(this::onPendingChanged));
        this.subchannelContext = new SubchannelContext(serializer, scheduler, settings.transportFactory(),
                settings.backoffPolicy(), inUse, this::onSubchannelTerminated, connections);
        this.configs = new ServiceConfigSelector(settings.defaultServiceConfig(), settings.balancers(), trace);
        Channel configured = ClientInterceptors.intercept(new CallFactory(), new MethodConfigInterceptor(configs::current));
        this.interceptedChannel = ClientInterceptors.intercept(configured, settings.interceptors());
        trace.info("Channel created for target " + settings.targetText());
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
        return interceptedChannel.newCall(method, callOptions);
    }

    @Override
    public String authority() {
        return settings.authority();
    }

    /** The target as configured. */
    public String target() {
        return settings.targetText();
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
        ConnectivityState state = stateManager.state();
        if (requestConnection && state == ConnectivityState.IDLE) {
            serializer.execute(this::requestConnection);
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
            if (resolution != null) {
                resolution.resetBackoff();
            }
        });
    }

    /**
     * Asks the resolver for a fresh resolution now, as a balancer does after losing a connection
     * (resolvers may rate-limit it). Does nothing while the channel is idle.
     */
    public void refreshResolution() {
        serializer.execute(this::refreshNameResolution);
    }

    @Override
    public void enterIdle() {
        serializer.execute(this::enterIdleMode);
    }

    @Override
    public LbChannel shutdown() {
        if (lifecycle.shutdown()) {
            serializer.execute(this::onShutdown);
        }
        return this;
    }

    @Override
    public LbChannel shutdownNow() {
        shutdown();
        serializer.execute(this::onShutdownNow);
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

    /** What channelz shows of this channel now. Safe from any thread. */
    public ChannelSnapshot snapshot() {
        List<SubchannelSnapshot> subs = new ArrayList<>();
        for (DefaultSubchannel subchannel : subchannelsView) {
            subs.add(subchannel.snapshot());
        }
        return new ChannelSnapshot(id, settings.targetText(), stateManager.state(), lbPolicy,
                calls.snapshot(), subs, trace.events(), connections.snapshot());
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

    CallCounter calls() {
        return calls;
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

    /**
     * A balancer, picker or resolver threw: the channel panics (on the serializer) and every call
     * fails with the returned status until it is shut down, as grpc-java's does. Any thread.
     */
    Status panic(Throwable error) {
        Status status = panicStatus(error);
        serializer.execute(() -> enterPanic(status, error));
        return status;
    }

    /** The policy serving RPCs changed; for channelz. */
    void policyInUse(String policyName) {
        lbPolicy = policyName;
    }

    ChannelTrace trace() {
        return trace;
    }

    /** The service config calls use now; any thread. */
    ServiceConfig serviceConfig() {
        return configs.current();
    }

    DefaultSubchannel newSubchannel(Endpoint endpoint) {
        DefaultSubchannel subchannel = new DefaultSubchannel(endpoint, settings.authority(), subchannelContext);
        subchannels.add(subchannel);
        subchannelsView = List.copyOf(subchannels);
        return subchannel;
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
        if (resolution != null) {
            resolution.refresh();
        }
    }

    // ---- on the serializer ---------------------------------------------------------------------

    private void requestConnection() {
        exitIdleMode();
        if (resolution != null) {
            resolution.requestConnection();
        }
    }

    private void exitIdleMode() {
        serializer.assertInContext();
        if (!lifecycle.transition(ChannelLifecycle.Phase.IDLE, ChannelLifecycle.Phase.ACTIVE)) {
            return;
        }
        trace.info("Exiting idle mode");
        stateManager.update(ConnectivityState.CONNECTING);
        pickerHolder.update(args -> PickResult.withNoResult());
        resolution = new NameResolution(this, settings, configs);
        resolution.start();
        if (!inUse.isInUse()) {
            scheduleIdleTimer();
        }
    }

    private void enterIdleMode() {
        serializer.assertInContext();
        if (!lifecycle.transition(ChannelLifecycle.Phase.ACTIVE, ChannelLifecycle.Phase.IDLE)) {
            return;
        }
        trace.info("Entering idle mode");
        shutdownResolution();
        cancelIdleTimer();
        stateManager.update(ConnectivityState.IDLE);
        pickerHolder.update(idlePicker);
    }

    private void scheduleIdleTimer() {
        if (lifecycle.phase() != ChannelLifecycle.Phase.ACTIVE || settings.idleTimeoutNanos() == Long.MAX_VALUE) {
            return;
        }
        cancelIdleTimer();
        idleTimer = serializer.schedule(this::enterIdleMode, settings.idleTimeoutNanos(), TimeUnit.NANOSECONDS, scheduler);
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
    }

    /** Panic mode: the resolver and balancer stop, and a picker that fails every call takes over. */
    private void enterPanic(Status status, Throwable error) {
        serializer.assertInContext();
        if (panic != null || lifecycle.isTerminated()) {
            return;
        }
        panic = status;
        lifecycle.transition(ChannelLifecycle.Phase.IDLE, ChannelLifecycle.Phase.PANIC);
        lifecycle.transition(ChannelLifecycle.Phase.ACTIVE, ChannelLifecycle.Phase.PANIC);
        logger.log(Level.SEVERE, "Channel " + settings.targetText() + " panicked: every call fails until it is shut down",
                error);
        trace.add(TraceEvent.Severity.ERROR, "Panic, entering TRANSIENT_FAILURE: " + status.getDescription());
        cancelIdleTimer();
        shutdownResolution();
        PickResult failure = PickResult.withDrop(status);
        pickerHolder.update(args -> failure);
        if (!lifecycle.isShutdown()) {
            stateManager.update(ConnectivityState.TRANSIENT_FAILURE);
        }
        maybeTerminate();
    }

    private static Status panicStatus(Throwable error) {
        return Status.INTERNAL.withDescription("Panic! The channel's load balancer, picker or name resolver threw "
                + error).withCause(error);
    }

    private void onPendingChanged() {
        inUse.update(pickerHolder, pickerHolder.hasPending());
        if (lifecycle.isShutdown() && !pickerHolder.hasPending()) {
            shutdownResolution();
            pickerHolder.close(SHUTDOWN_STATUS);
        }
        maybeTerminate();
    }

    private void onShutdown() {
        trace.info("Channel shutdown");
        cancelIdleTimer();
        stateManager.update(ConnectivityState.SHUTDOWN);
        if (resolution == null || !pickerHolder.hasPending()) {
            // Idle or panicked (no picker will come again), or nothing waits for one.
            shutdownResolution();
            pickerHolder.close(SHUTDOWN_STATUS);
        }
        maybeTerminate();
    }

    private void onShutdownNow() {
        Status status = Status.UNAVAILABLE.withDescription("Channel shutdownNow invoked");
        pickerHolder.close(status);
        for (PreCommitStream waiting : List.copyOf(awaitingCredentials)) {
            waiting.cancel(status);
        }
        shutdownResolution();
        for (DefaultSubchannel subchannel : List.copyOf(subchannels)) {
            subchannel.shutdownNow(status);
        }
        maybeTerminate();
    }

    private void shutdownResolution() {
        if (resolution != null) {
            resolution.shutdown();
            resolution = null;
        }
    }

    private void onSubchannelTerminated(DefaultSubchannel subchannel) {
        subchannels.remove(subchannel);
        subchannelsView = List.copyOf(subchannels);
        maybeTerminate();
    }

    private void maybeTerminate() {
        if (!lifecycle.isShutdown() || lifecycle.isTerminated() || resolution != null || !subchannels.isEmpty()
                || pickerHolder.hasPending() || lifecycle.openCalls() > 0) {
            return;
        }
        trace.info("Channel terminated");
        settings.releaseShared(); // before anyone awaiting termination looks at the pools
        lifecycle.terminate();
    }

    @Override
    public String toString() {
        return "LbChannel{id=" + id + ", target=" + settings.targetText() + "}";
    }

    /** The innermost channel, under the interceptors: every call becomes a {@link ChannelCall}. */
    private final class CallFactory extends Channel {
        @Override
        public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
            return new ChannelCall<>(method, options, LbChannel.this);
        }

        @Override
        public String authority() {
            return settings.authority();
        }
    }
}
