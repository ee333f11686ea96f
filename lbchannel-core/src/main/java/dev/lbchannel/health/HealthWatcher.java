package dev.lbchannel.health;

import dev.lbchannel.Backoff;
import dev.lbchannel.BackoffPolicy;
import dev.lbchannel.balancer.SubchannelStateListener;
import dev.lbchannel.channelz.ChannelTrace;
import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.ServerStreamingWatch;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Client-side health checking of one subchannel (gRFC A17). It stands between the subchannel and
 * its balancer's listener: it hears the connection's states and passes on the health-checked
 * ones. While a service name is configured and the connection is READY it keeps a
 * {@code Watch} stream open on that connection; until the first answer the balancer hears
 * CONNECTING, then READY for SERVING and TRANSIENT_FAILURE (connection kept) for anything else.
 * A stream that fails counts as unhealthy and is restarted with backoff, at once if it had
 * answered; UNIMPLEMENTED turns the check off for that connection (logged once per subchannel)
 * and the subchannel counts as healthy. Without a service name it passes states on unchanged.
 *
 * <p>Runs on the channel's serializer, like the subchannel; {@link #health()} is read from any
 * thread.
 */
public final class HealthWatcher implements SubchannelStateListener {

    private static final Logger logger = Logger.getLogger(HealthWatcher.class.getName());

    private final Object subchannel;
    private final Serializer serializer;
    private final ScheduledExecutorService scheduler;
    private final Supplier<@Nullable ClientTransport> readyTransport;
    private final ChannelTrace trace;
    private final BackoffPolicy backoffPolicy;
    /** Made at the first failure: most subchannels' checks never fail. */
    private @Nullable Backoff backoff;
    private @Nullable SubchannelStateListener listener;
    private @Nullable String serviceName;
    private ConnectivityStateInfo connection = ConnectivityStateInfo.forNonError(ConnectivityState.IDLE);
    private ConnectivityStateInfo concluded = connection;
    /** {@code rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse)}. */
    private static final MethodDescriptor<byte[], byte[]> WATCH = ServerStreamingWatch.method("grpc.health.v1.Health/Watch");

    private @Nullable ServerStreamingWatch<ServingStatus> stream;
    private boolean streamAnswered;
    private Serializer.@Nullable ScheduledHandle retryTimer;
    /** The server of the current connection answered UNIMPLEMENTED; cleared when it is lost. */
    private boolean unimplemented;
    private boolean loggedUnimplemented;
    private boolean shutdown;
    private volatile SubchannelHealth health = SubchannelHealth.NOT_CHECKED;

    /**
     * @param subchannel what the log and trace name, by its {@code toString()}
     * @param serviceName the service name to check, or {@code null} for no check for now
     * @param readyTransport the subchannel's READY connection, or {@code null}
     */
    public HealthWatcher(Object subchannel, @Nullable String serviceName, Serializer serializer,
            ScheduledExecutorService scheduler, BackoffPolicy backoffPolicy,
            Supplier<@Nullable ClientTransport> readyTransport, ChannelTrace trace) {
        this.subchannel = subchannel;
        this.serviceName = serviceName;
        this.serializer = serializer;
        this.scheduler = scheduler;
        this.readyTransport = readyTransport;
        this.trace = trace;
        this.backoffPolicy = backoffPolicy;
    }

    /** Starts passing the health-checked states to {@code stateListener}. Call once. */
    public void start(SubchannelStateListener stateListener) {
        serializer.assertInContext();
        listener = stateListener;
    }

    /** The subchannel's connection changed state. */
    @Override
    public void onStateChange(ConnectivityStateInfo state) {
        serializer.assertInContext();
        if (shutdown) {
            return;
        }
        if (connection.getState() == ConnectivityState.READY && state.getState() != ConnectivityState.READY) {
            unimplemented = false;   // the next connection's server may have a health service
        }
        connection = state;
        adjust();
    }

    /** The service config's {@code healthCheckConfig.serviceName} changed; {@code null} turns the check off. */
    public void serviceName(@Nullable String name) {
        serializer.assertInContext();
        if (shutdown || Objects.equals(name, serviceName)) {
            return;
        }
        serviceName = name;
        stopStream(name == null ? "Health checking turned off" : "Health-check service name changed");
        adjust();
    }

    /**
     * The subchannel moved to a replacement connection (a rotated TLS context) without leaving
     * READY. The Watch moves along with it, keeping the verdict meanwhile: left on the old
     * connection, it would be the one call that keeps that connection from ever draining.
     */
    public void connectionReplaced() {
        serializer.assertInContext();
        ClientTransport transport = readyTransport.get();
        if (shutdown || stream == null || transport == null || transport == stream.transport()) {
            return;   // no stream: a pending retry or the next READY opens it on the new connection
        }
        stopStream("Connection replaced");
        openStream(transport);   // the verdict stands until the new stream answers
    }

    /** Stops checking for good: the subchannel shuts down and its connection must be free to drain. */
    public void shutdown() {
        serializer.assertInContext();
        shutdown = true;
        stopStream("Subchannel shut down");
    }

    /** What the check knows now, for channelz; any thread. */
    public SubchannelHealth health() {
        return health;
    }

    /** Starts or stops the stream to match the connection and the config. */
    private void adjust() {
        boolean wanted = serviceName != null && !unimplemented && connection.getState() == ConnectivityState.READY;
        if (wanted) {
            ClientTransport transport = readyTransport.get();
            // Without a transport the connection is going away and its own state change follows.
            if (transport != null && stream == null && !retryPending()) {
                startStream(transport);
            }
            return;
        }
        stopStream("Health check no longer needed");
        if (backoff != null) {
            backoff.reset();
        }
        conclude(connection);
        if (!unimplemented || serviceName == null) {
            health(SubchannelHealth.NOT_CHECKED);
        }
    }

    private void startStream(ClientTransport transport) {
        String name = Objects.requireNonNull(serviceName);
        if (concluded.getState() != ConnectivityState.READY) {
            conclude(ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING));
        }
        if (!health.isUnhealthy()) {   // an unhealthy verdict stands until an answer replaces it
            health(new SubchannelHealth(SubchannelHealth.State.CHECKING, name, null));
        }
        openStream(transport);
    }

    private void openStream(ClientTransport transport) {
        ServerStreamingWatch<ServingStatus> started = new ServerStreamingWatch<>(transport, WATCH, serializer,
                HealthMessages::responseStatus, "health response", this::onResponse,
                this::onClosed);
        stream = started;
        streamAnswered = false;
        started.start(HealthMessages.request(Objects.requireNonNull(serviceName)));
    }

    private void onResponse(ServerStreamingWatch<ServingStatus> from, ServingStatus status) {
        serializer.assertInContext();
        if (from != stream) {
            return;   // stopped or replaced
        }
        streamAnswered = true;
        if (backoff != null) {
            backoff.reset();
        }
        String name = Objects.requireNonNull(serviceName);
        // The balancer hears first, so that a snapshot showing the verdict implies the picker has it.
        if (status == ServingStatus.SERVING) {
            conclude(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
            health(new SubchannelHealth(SubchannelHealth.State.SERVING, name, null));
        } else {
            String why = "Health service answered " + status + " for '" + name + "'";
            conclude(ConnectivityStateInfo.forTransientFailure(Status.UNAVAILABLE.withDescription(why)));
            health(new SubchannelHealth(SubchannelHealth.State.NOT_SERVING, name, why));
        }
    }

    private void onClosed(ServerStreamingWatch<ServingStatus> from, Status status) {
        serializer.assertInContext();
        if (from != stream) {
            return;
        }
        stream = null;
        if (connection.getState() != ConnectivityState.READY || readyTransport.get() != from.transport()) {
            return;   // the connection is going away: its state change decides
        }
        String name = Objects.requireNonNull(serviceName);
        if (status.getCode() == Status.Code.UNIMPLEMENTED) {
            disableForThisConnection(name);
            return;
        }
        String why = "Health-check stream for '" + name + "' failed: " + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription());
        conclude(ConnectivityStateInfo.forTransientFailure(Status.UNAVAILABLE.withDescription(why)));
        health(new SubchannelHealth(SubchannelHealth.State.STREAM_FAILED, name, why));
        // A17: after an answer the backoff was reset and the stream restarts at once.
        if (streamAnswered) {
            startStream(from.transport());
        } else {
            retryTimer = serializer.schedule(this::onRetryTimer, backoff().nextDelayNanos(), TimeUnit.NANOSECONDS,
                    scheduler);
        }
    }

    private void disableForThisConnection(String name) {
        unimplemented = true;
        String why = "The server does not implement grpc.health.v1.Health; health checking is off for this"
                + " connection, which counts as healthy";
        conclude(connection);
        health(new SubchannelHealth(SubchannelHealth.State.UNIMPLEMENTED, name, why));
        if (!loggedUnimplemented) {
            loggedUnimplemented = true;
            logger.warning(subchannel + ": " + why);
        }
    }

    private void onRetryTimer() {
        retryTimer = null;
        if (!shutdown) {
            adjust();
        }
    }

    private boolean retryPending() {
        return retryTimer != null && retryTimer.isPending();
    }

    private void stopStream(String reason) {
        if (stream != null) {
            stream.cancel(reason);
            stream = null;
        }
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
    }

    /** Records the check's state; traces a verdict (not the comings and goings of checks) when it changes. */
    private void health(SubchannelHealth next) {
        SubchannelHealth previous = health;
        health = next;
        SubchannelHealth.State state = next.state();
        if (previous.state() != state && state != SubchannelHealth.State.NOT_CHECKED
                && state != SubchannelHealth.State.CHECKING) {
            boolean bad = next.isUnhealthy() || state == SubchannelHealth.State.UNIMPLEMENTED;
            trace.add(bad ? TraceEvent.Severity.WARNING : TraceEvent.Severity.INFO,
                    "Health check " + state + (next.description() == null ? "" : ": " + next.description()));
        }
    }

    private void conclude(ConnectivityStateInfo state) {
        if (!state.equals(concluded)) {
            concluded = state;
            if (listener != null) {
                listener.onStateChange(state);
            }
        }
    }

    private Backoff backoff() {
        Backoff made = backoff;
        if (made == null) {
            made = new Backoff(backoffPolicy);
            backoff = made;
        }
        return made;
    }
}
