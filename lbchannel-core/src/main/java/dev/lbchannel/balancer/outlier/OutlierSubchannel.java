package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelStateListener;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * The child policy's view of one subchannel (gRFC A50's subchannel wrapper): it passes state
 * changes through until its endpoint is ejected, then reports TRANSIENT_FAILURE and holds the
 * real state back until un-ejected, so the connection stays up and serves again at once. It is
 * also the listener that counts its calls' outcomes into its endpoint's tracker, through one
 * {@link PickResult} made once. Runs on the serializer, except {@link #onCallEnded} (any thread).
 */
final class OutlierSubchannel extends ForwardingSubchannel implements CallOutcomeListener {

    private static final Status EJECTED = Status.UNAVAILABLE.withDescription("Ejected by outlier detection");

    private final Subchannel delegate;
    private final OutlierDetectionBalancer owner;
    private final PickResult counted;
    /**
     * The last result made for a nested policy's own listener (least_request counting inside):
     * such a child reuses one listener per subchannel, so caching the pair keeps picks
     * allocation-free. Racy on purpose: a stale or lost entry only costs a new one.
     */
    private volatile @Nullable PickResult combined;
    /** Where its calls are counted; {@code null} while its endpoint is not tracked. */
    private volatile @Nullable EndpointTracker tracker;
    private @Nullable SubchannelStateListener childListener;
    private @Nullable ConnectivityStateInfo lastState;
    private boolean ejected;
    private boolean shutdown;

    OutlierSubchannel(Subchannel delegate, OutlierDetectionBalancer owner) {
        this.delegate = delegate;
        this.owner = owner;
        this.counted = PickResult.withSubchannel(this, this);
    }

    @Override
    public Subchannel delegate() {
        return delegate;
    }

    OutlierDetectionBalancer owner() {
        return owner;
    }

    /** The pick result that counts this subchannel's calls. */
    PickResult countedResult() {
        return counted;
    }

    /**
     * The pick result that reports to {@code inner} (a nested policy's listener) and counts here,
     * made once per inner listener; {@code picked} is what the nested policy picked.
     */
    PickResult countedResult(Subchannel picked, CallOutcomeListener inner) {
        PickResult cached = combined;
        if (cached != null && cached.subchannel() == picked
                && cached.outcomeListener() instanceof Both both && both.inner() == inner) {
            return cached;
        }
        PickResult made = PickResult.withSubchannel(picked, new Both(inner, this));
        combined = made;
        return made;
    }

    /** The nested policy's listener and this one, told both events (a counting child needs the start). */
    private record Both(CallOutcomeListener inner, OutlierSubchannel own) implements CallOutcomeListener {

        @Override
        public void onCallStarted() {
            try {
                inner.onCallStarted();
            } finally {
                own.onCallStarted();
            }
        }

        @Override
        public void onCallEnded(Status status) {
            onCallEnded(status, new Metadata());
        }

        @Override
        public boolean wantsDuration() {
            return inner.wantsDuration();
        }

        @Override
        public void onCallEnded(Status status, Metadata trailers) {
            onCallEnded(status, trailers, 0);
        }

        /** The trailers and duration go on to the nested policy, which may read a load report or a latency from them. */
        @Override
        public void onCallEnded(Status status, Metadata trailers, long durationNanos) {
            try {
                inner.onCallEnded(status, trailers, durationNanos);
            } finally {
                own.onCallEnded(status);
            }
        }
    }

    @Nullable EndpointTracker tracker() {
        return tracker;
    }

    /** Moves it to {@code next} (or to none), ejected or not as that endpoint is. */
    void track(@Nullable EndpointTracker next) {
        EndpointTracker previous = tracker;
        if (previous == next) {
            return;
        }
        if (previous != null) {
            previous.remove(this);
        }
        tracker = next;
        if (next != null) {
            next.add(this);
        }
        if (next != null && next.isEjected()) {
            eject();
        } else {
            uneject();
        }
    }

    boolean isEjected() {
        return ejected;
    }

    @Override
    public void onCallEnded(Status status) {
        EndpointTracker current = tracker;
        if (current != null) {
            current.outcomes.record(status.isOk());
        }
    }

    @Override
    public void start(SubchannelStateListener listener) {
        childListener = listener;
        delegate.start(this::onStateChange);
        if (ejected) {
            listener.onStateChange(ConnectivityStateInfo.forTransientFailure(EJECTED)); // made for an ejected endpoint
        }
    }

    private void onStateChange(ConnectivityStateInfo state) {
        lastState = state;
        if (!ejected && childListener != null) {
            childListener.onStateChange(state);
        }
    }

    /** Looks TRANSIENT_FAILURE to the child until {@link #uneject}. */
    void eject() {
        if (ejected || shutdown) {
            return;
        }
        ejected = true;
        owner.reporter().ejectionChanged(this, true);
        if (childListener != null) {
            childListener.onStateChange(ConnectivityStateInfo.forTransientFailure(EJECTED));
        }
    }

    /** Shows the child the real state again. */
    void uneject() {
        if (!ejected) {
            return;
        }
        ejected = false;
        owner.reporter().ejectionChanged(this, false);
        if (childListener != null && lastState != null && !shutdown) {
            childListener.onStateChange(lastState);
        }
    }

    /** Follows A50's address-update rules: the endpoint's tracker may change with its addresses. */
    @Override
    public void updateEndpoint(Endpoint endpoint) {
        delegate.updateEndpoint(endpoint);
        owner.retrack(this);
    }

    @Override
    public void shutdown() {
        if (!shutdown) {
            if (ejected) {
                owner.reporter().ejectionChanged(this, false);
            }
            shutdown = true;
            owner.forget(this);
        }
        delegate.shutdown();
    }
}
