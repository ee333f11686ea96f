package dev.lbchannel;

import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.serializer.Serializer;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a channel is in its life, and the moves between: leaving idle when a call arrives
 * (starting the resolver and balancer), going idle after the idle timeout, panicking when a plug-in
 * throws, shutting down, terminating.
 *
 * <pre>
 *   IDLE ⇄ ACTIVE ──▶ PANIC
 *     └──────┴──────────┴──▶ SHUTTING_DOWN ──▶ TERMINATED
 * </pre>
 *
 * A call counts as open from {@link #callStarted()} until {@link #callFinished()}; the channel
 * terminates only once it is shutting down with no open call, no parked call, no resolver or
 * balancer and no subchannel, so a channel whose {@code awaitTermination} returned true has no
 * call open. {@link #callStarted()} and {@link #shutdown()} are ordered through volatile reads and
 * writes: either the call sees the shutdown and is refused, or the shutdown sees the call and waits
 * for it.
 *
 * <p>Thread-safe. The phase is read from any thread; SHUTTING_DOWN is entered from any thread at
 * once, so {@code isShutdown()} holds as soon as {@code shutdown()} returns; every other move, and
 * all the other state here, belongs to the channel's serializer.
 */
final class ChannelLifecycle {

    enum Phase {
        /** No resolver or balancer runs; the first call starts them. */
        IDLE,
        /** The resolver and balancer run. */
        ACTIVE,
        /** A balancer, picker or resolver threw: every call fails until the channel is shut down. */
        PANIC,
        /** No new call starts; the channel terminates once what is open has finished. */
        SHUTTING_DOWN,
        TERMINATED
    }

    private static final Logger logger = Logger.getLogger(ChannelLifecycle.class.getName());
    private static final Status SHUTDOWN = Status.UNAVAILABLE.withDescription("Channel shutdown invoked");
    private static final Status SHUTDOWN_NOW = Status.UNAVAILABLE.withDescription("Channel shutdownNow invoked");
    private static final AtomicReferenceFieldUpdater<ChannelLifecycle, Phase> PHASE =
            AtomicReferenceFieldUpdater.newUpdater(ChannelLifecycle.class, Phase.class, "phase");

    private final LbChannel channel;
    private final ChannelSettings settings;
    private final ServiceConfigSelector configs;
    private final Serializer serializer;
    private final Picker idlePicker;
    private volatile Phase phase = Phase.IDLE;
    private final AtomicLong openCalls = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);

    // Confined to the serializer.
    /** The resolver and balancer while they run: ACTIVE, or shutting down with calls still parked. */
    private @Nullable NameResolution resolution;
    private Serializer.@Nullable ScheduledHandle idleTimer;
    /** When the channel last stopped being in use (nanoTime); the idle timer measures from it. */
    private long notInUseSinceNanos;
    private @Nullable Status panic;

    ChannelLifecycle(LbChannel channel, ChannelSettings settings, ServiceConfigSelector configs) {
        this.channel = channel;
        this.settings = settings;
        this.configs = configs;
        this.serializer = channel.serializer();
        this.idlePicker = args -> {
            serializer.execute(this::exitIdle);
            return PickResult.withNoResult();
        };
    }

    /** The picker of an idle channel: the first pick leaves idle, and the call waits for the balancer. */
    Picker idlePicker() {
        return idlePicker;
    }

    // ---- any thread ----

    Phase phase() {
        return phase;
    }

    boolean isShutdown() {
        return isShutdown(phase);
    }

    boolean isTerminated() {
        return phase == Phase.TERMINATED;
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** Counts a new call as open, unless the channel is shutting down (then it must not start). */
    boolean callStarted() {
        openCalls.incrementAndGet();
        if (isShutdown()) {
            callFinished();
            return false;
        }
        return true;
    }

    /** An open call finished: it is closed and nothing of the channel refers to it any more. */
    void callFinished() {
        if (openCalls.decrementAndGet() == 0 && isShutdown()) {
            serializer.execute(this::maybeTerminate);
        }
    }

    /** Enters SHUTTING_DOWN at once, unless already there; the rest follows on the serializer. */
    void shutdown() {
        for (Phase current = phase; !isShutdown(current); current = phase) {
            if (PHASE.compareAndSet(this, current, Phase.SHUTTING_DOWN)) {
                serializer.execute(this::onShutdown);
                return;
            }
        }
    }

    /** Shuts down and ends every call: parked, waiting for credentials, or on a connection. */
    void shutdownNow() {
        shutdown();
        serializer.execute(this::onShutdownNow);
    }

    /**
     * A balancer, picker or resolver threw: the channel panics (on the serializer) and every call
     * fails with the returned status until it is shut down, as grpc-java's does.
     */
    Status panic(Throwable error) {
        Status status = panicStatus(error);
        serializer.execute(() -> enterPanic(status, error));
        return status;
    }

    /** For the serializer's uncaught exceptions: it is already in context. */
    void panicInContext(Throwable error) {
        enterPanic(panicStatus(error), error);
    }

    // ---- on the serializer ----

    /** Leaves idle, if idle, and asks the balancer to connect; for {@code getState(true)}. */
    void requestConnection() {
        exitIdle();
        if (resolution != null) {
            resolution.requestConnection();
        }
    }

    void refreshResolution() {
        if (resolution != null) {
            resolution.refresh();
        }
    }

    /** The channel's target changed: a running resolution resolves it instead; an idle channel will when it leaves idle. */
    void targetChanged(ChannelTarget target) {
        if (resolution != null) {
            resolution.replaceResolver(target);
        }
    }

    /**
     * The default service config or policy changed: a running resolution applies its last result
     * again (a new policy takes over through the graceful switch); an idle channel shows the
     * policy it will use.
     */
    void defaultsChanged() {
        if (resolution != null) {
            resolution.reapplyLastResult();
        } else {
            channel.policyInUse(configs.policyName(configs.current()));
        }
    }

    void resetResolutionBackoff() {
        if (resolution != null) {
            resolution.resetBackoff();
        }
    }

    void exitIdle() {
        serializer.assertInContext();
        if (!PHASE.compareAndSet(this, Phase.IDLE, Phase.ACTIVE)) {
            return;
        }
        channel.trace().info("Exiting idle mode");
        channel.stateManager().update(ConnectivityState.CONNECTING);
        channel.pickerHolder().update(args -> PickResult.withNoResult());
        resolution = new NameResolution(channel, settings, configs);
        resolution.start();
        if (!channel.isInUse()) {
            scheduleIdleTimer();
        }
    }

    void enterIdle() {
        serializer.assertInContext();
        if (!PHASE.compareAndSet(this, Phase.ACTIVE, Phase.IDLE)) {
            return;
        }
        channel.trace().info("Entering idle mode");
        shutdownResolution();
        cancelIdleTimer();
        channel.stateManager().update(ConnectivityState.IDLE);
        channel.pickerHolder().update(idlePicker);
    }

    /**
     * Nothing of the channel is in use any more: it goes idle after the idle timeout. A timer still
     * pending from an earlier quiet spell is kept, and on firing looks again; so a channel whose
     * calls come one after another schedules a timer once per timeout, not once per call (each
     * schedule and cancel from off its event loop would wake that loop).
     */
    void scheduleIdleTimer() {
        if (phase != Phase.ACTIVE || settings.idleTimeoutNanos() == Long.MAX_VALUE) {
            return;
        }
        notInUseSinceNanos = System.nanoTime();
        if (idleTimer == null) {
            idleTimer = serializer.schedule(this::onIdleTimer, settings.idleTimeoutNanos(), TimeUnit.NANOSECONDS,
                    channel.scheduler());
        }
    }

    private void onIdleTimer() {
        idleTimer = null;
        if (phase != Phase.ACTIVE || channel.isInUse()) {
            return; // in use: the next quiet spell schedules a timer again
        }
        long left = notInUseSinceNanos + settings.idleTimeoutNanos() - System.nanoTime();
        if (left > 0) {
            idleTimer = serializer.schedule(this::onIdleTimer, left, TimeUnit.NANOSECONDS, channel.scheduler());
            return;
        }
        enterIdle();
    }

    void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
    }

    /** Parked calls came or went; a shutting-down channel stops its balancer once none is left. */
    void onPendingChanged() {
        channel.pendingInUse(channel.pickerHolder().hasPending());
        if (isShutdown() && !channel.pickerHolder().hasPending()) {
            shutdownResolution();
            channel.pickerHolder().close(SHUTDOWN);
        }
        maybeTerminate();
    }

    /** The channel may have nothing left: it terminates if so. */
    void maybeTerminate() {
        if (!isShutdown() || isTerminated() || resolution != null || !channel.subchannels().isEmpty()
                || channel.pickerHolder().hasPending() || openCalls.get() > 0) {
            return;
        }
        channel.trace().info("Channel terminated");
        settings.releaseShared(); // before anyone awaiting termination looks at the pools
        phase = Phase.TERMINATED;
        terminated.countDown();
    }

    private void onShutdown() {
        channel.trace().info("Channel shutdown");
        cancelIdleTimer();
        channel.stateManager().update(ConnectivityState.SHUTDOWN);
        if (resolution == null || !channel.pickerHolder().hasPending()) {
            // Idle or panicked (no picker will come again), or nothing waits for one.
            shutdownResolution();
            channel.pickerHolder().close(SHUTDOWN);
        }
        maybeTerminate();
    }

    private void onShutdownNow() {
        channel.pickerHolder().close(SHUTDOWN_NOW);
        for (PreCommitStream waiting : List.copyOf(channel.awaitingCredentials())) {
            waiting.cancel(SHUTDOWN_NOW);
        }
        shutdownResolution();
        channel.subchannels().shutdownNow(SHUTDOWN_NOW);
        maybeTerminate();
    }

    /** Panic mode: the resolver and balancer stop, and a picker that fails every call takes over. */
    private void enterPanic(Status status, Throwable error) {
        serializer.assertInContext();
        if (panic != null || isTerminated()) {
            return;
        }
        panic = status;
        PHASE.compareAndSet(this, Phase.IDLE, Phase.PANIC);
        PHASE.compareAndSet(this, Phase.ACTIVE, Phase.PANIC);
        logger.log(Level.SEVERE, "Channel " + channel.target() + " panicked: every call fails until it is shut down",
                error);
        channel.trace().add(TraceEvent.Severity.ERROR, "Panic, entering TRANSIENT_FAILURE: " + status.getDescription());
        cancelIdleTimer();
        shutdownResolution();
        PickResult failure = PickResult.withDrop(status);
        channel.pickerHolder().update(args -> failure);
        if (!isShutdown()) {
            channel.stateManager().update(ConnectivityState.TRANSIENT_FAILURE);
        }
        maybeTerminate();
    }

    private void shutdownResolution() {
        if (resolution != null) {
            resolution.shutdown();
            resolution = null;
        }
    }

    private static Status panicStatus(Throwable error) {
        return Status.INTERNAL.withDescription("Panic! The channel's load balancer, picker or name resolver threw "
                + error).withCause(error);
    }

    private static boolean isShutdown(Phase phase) {
        return phase.compareTo(Phase.SHUTTING_DOWN) >= 0;
    }
}
