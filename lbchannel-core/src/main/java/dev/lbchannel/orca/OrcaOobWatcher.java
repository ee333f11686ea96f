package dev.lbchannel.orca;

import dev.lbchannel.Backoff;
import dev.lbchannel.BackoffPolicy;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.ServerStreamingWatch;
import io.grpc.ConnectivityState;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * Out-of-band load reporting (gRFC A51) for one subchannel: while it has listeners and its
 * connection is READY, it keeps one {@code StreamCoreMetrics} stream open on that connection,
 * asking for the shortest interval any listener wants, and hands each report to every listener.
 * A listener added or removed that changes the interval restarts the stream, as A51 says. A stream
 * that fails is restarted with backoff, at once if it had reported; UNIMPLEMENTED stops reporting
 * on that connection (logged once per subchannel). The subchannel's own state is untouched: a
 * backend without ORCA is as usable as any.
 *
 * <p>Runs on the channel's serializer, like the subchannel; listeners are called there too.
 */
public final class OrcaOobWatcher {

    private static final Logger logger = Logger.getLogger(OrcaOobWatcher.class.getName());

    private final Object subchannel;
    private final Serializer serializer;
    private final ScheduledExecutorService scheduler;
    private final Supplier<@Nullable ClientTransport> readyTransport;
    private final Backoff backoff;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private boolean connected;
    /** {@code rpc StreamCoreMetrics(OrcaLoadReportRequest) returns (stream OrcaLoadReport)}. */
    private static final MethodDescriptor<byte[], byte[]> STREAM_CORE_METRICS =
            ServerStreamingWatch.method("xds.service.orca.v3.OpenRcaService/StreamCoreMetrics");

    private @Nullable ServerStreamingWatch<OrcaLoadReport> stream;
    /** The report interval the current stream asked for. */
    private @Nullable Duration streamInterval;
    private boolean streamReported;
    private Serializer.@Nullable ScheduledHandle retryTimer;
    /** The server of the current connection answered UNIMPLEMENTED; cleared when it is lost. */
    private boolean unimplemented;
    private boolean loggedUnimplemented;
    private boolean shutdown;

    /**
     * @param subchannel what the log names, by its {@code toString()}
     * @param readyTransport the subchannel's READY connection, or {@code null}
     */
    public OrcaOobWatcher(Object subchannel, Serializer serializer, ScheduledExecutorService scheduler,
            BackoffPolicy backoffPolicy, Supplier<@Nullable ClientTransport> readyTransport) {
        this.subchannel = subchannel;
        this.serializer = serializer;
        this.scheduler = scheduler;
        this.readyTransport = readyTransport;
        this.backoff = new Backoff(backoffPolicy);
    }

    /** Adds a listener that wants a report about every {@code interval}; see {@link OrcaOobSubscription}. */
    public OrcaOobSubscription subscribe(Duration interval, OrcaLoadReportListener listener) {
        serializer.assertInContext();
        if (interval.isNegative()) {
            throw new IllegalArgumentException("reportInterval must not be negative, was " + interval);
        }
        Subscription added = new Subscription(interval, requireNonNull(listener, "listener"));
        subscriptions.add(added);
        adjust();
        return added;
    }

    /** The subchannel's connection changed state (not the health-checked one). */
    public void onConnectionState(ConnectivityState state) {
        serializer.assertInContext();
        boolean nowConnected = state == ConnectivityState.READY;
        if (connected && !nowConnected) {
            unimplemented = false;   // the next connection's server may have ORCA
            backoff.reset();
        }
        connected = nowConnected;
        adjust();
    }

    /** The subchannel moved to a replacement connection without leaving READY; the stream moves too. */
    public void connectionReplaced() {
        serializer.assertInContext();
        ClientTransport transport = readyTransport.get();
        if (stream != null && transport != null && transport != stream.transport()) {
            stopStream("Connection replaced");
            adjust();
        }
    }

    /** Stops for good: the subchannel shuts down and its connection must be free to drain. */
    public void shutdown() {
        serializer.assertInContext();
        shutdown = true;
        subscriptions.clear();
        stopStream("Subchannel shut down");
    }

    /** Starts, restarts or stops the stream to match the connection and the listeners. */
    private void adjust() {
        Duration wanted = shortestInterval();
        if (shutdown || wanted == null || !connected || unimplemented) {
            stopStream(wanted == null ? "No ORCA listener left" : "ORCA reporting not possible now");
            return;
        }
        if (stream != null && !wanted.equals(streamInterval)) {
            stopStream("ORCA report interval changed");   // A51: a new interval needs a new stream
        }
        ClientTransport transport = readyTransport.get();
        if (stream == null && transport != null && !retryPending()) {
            ServerStreamingWatch<OrcaLoadReport> started = new ServerStreamingWatch<>(transport,
                    STREAM_CORE_METRICS, serializer, OrcaMessages::parseReport, "ORCA load report", this::onReport,
                    this::onClosed);
            stream = started;
            streamInterval = wanted;
            streamReported = false;
            started.start(OrcaMessages.request(wanted));
        }
    }

    private @Nullable Duration shortestInterval() {
        Duration shortest = null;
        for (Subscription s : subscriptions) {
            if (shortest == null || s.interval.compareTo(shortest) < 0) {
                shortest = s.interval;
            }
        }
        return shortest;
    }

    private void onReport(ServerStreamingWatch<OrcaLoadReport> from, OrcaLoadReport report) {
        serializer.assertInContext();
        if (from != stream) {
            return;   // stopped or replaced
        }
        streamReported = true;
        backoff.reset();
        for (Subscription s : List.copyOf(subscriptions)) {
            if (!s.cancelled) {
                s.listener.onLoadReport(report);
            }
        }
    }

    private void onClosed(ServerStreamingWatch<OrcaLoadReport> from, Status status) {
        serializer.assertInContext();
        if (from != stream) {
            return;
        }
        stream = null;
        if (!connected || readyTransport.get() != from.transport()) {
            return;   // the connection is going away: its state change decides
        }
        if (status.getCode() == Status.Code.UNIMPLEMENTED) {
            unimplemented = true;
            if (!loggedUnimplemented) {
                loggedUnimplemented = true;
                logger.warning(subchannel + ": the server does not implement xds.service.orca.v3.OpenRcaService;"
                        + " no out-of-band load reports on this connection");
            }
            return;
        }
        logger.log(Level.FINE, "{0}: ORCA stream closed: {1}", new Object[] {subchannel, status});
        if (streamReported) {
            adjust();   // it worked: start over at once, as A51 says
        } else {
            retryTimer = serializer.schedule(this::onRetryTimer, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS,
                    scheduler);
        }
    }

    private void onRetryTimer() {
        retryTimer = null;
        adjust();
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

    /** One listener and the interval it wants. */
    private final class Subscription implements OrcaOobSubscription {
        final Duration interval;
        final OrcaLoadReportListener listener;
        boolean cancelled;

        Subscription(Duration interval, OrcaLoadReportListener listener) {
            this.interval = interval;
            this.listener = listener;
        }

        @Override
        public void cancel() {
            serializer.assertInContext();
            if (!cancelled) {
                cancelled = true;
                subscriptions.remove(this);
                adjust();
            }
        }
    }
}
