package dev.lbchannel.balancer;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Hears how an RPC attempt that a pick placed on a subchannel ended, for policies that judge
 * backends by their results (gRFC A50's outlier detection) or count the calls they carry (gRFC
 * A48's least_request). Attach one to a
 * {@link PickResult#withSubchannel(Subchannel, CallOutcomeListener) pick result}; for each attempt
 * whose stream was opened on the picked subchannel, the channel calls {@link #onCallStarted()}
 * once as the stream opens and {@link #onCallEnded} exactly once, later, with the attempt's final
 * status. An attempt that never opened a stream (its subchannel lost its connection before, its
 * credentials failed, its call was cancelled first) is reported neither way, as it never reached
 * the backend: a count kept from the two calls never drifts.
 *
 * <p>Called on the transport's event loop, concurrently for many attempts: it must be
 * thread-safe, quick and must not block or throw. It should not allocate either, since it runs
 * once per attempt.
 */
@FunctionalInterface
public interface CallOutcomeListener {

    /**
     * The attempt's stream was opened on the picked subchannel; called before any event of the
     * stream, under the call's lock, so it must be as quick as an atomic increment. The default
     * does nothing.
     */
    default void onCallStarted() {
    }

    /** The attempt ended with {@code status}: OK, or the error the client saw. */
    void onCallEnded(Status status);

    /**
     * The attempt ended with {@code status} and {@code trailers}: the trailing metadata the server
     * sent, or empty ones for an attempt that ended on the client's side. The channel reaches it
     * through {@link #onCallEnded(Status, Metadata, long)}'s default; this default forgets the
     * trailers and calls {@link #onCallEnded(Status)}, so a listener that wants only the status
     * implements that one alone. A listener that reads a trailer, such as
     * an ORCA load report (gRFC A51, see {@code dev.lbchannel.orca.OrcaPerCallReports}), overrides
     * this one; it must not change {@code trailers}, which the application reads afterwards.
     */
    default void onCallEnded(Status status, Metadata trailers) {
        onCallEnded(status);
    }

    /**
     * Whether this listener wants each attempt's duration in
     * {@link #onCallEnded(Status, Metadata, long)}: the channel then reads its clock as the stream
     * opens and as it ends (two {@code System.nanoTime()} calls, tens of nanoseconds on a virtual
     * machine), which listeners that do not need it are spared. Asked once per attempt, as the
     * stream opens; the answer must not change. A listener that wraps another forwards this.
     */
    default boolean wantsDuration() {
        return false;
    }

    /**
     * The attempt ended with {@code status} and {@code trailers}, {@code durationNanos} after its
     * stream opened (when {@link #onCallStarted()} was called), on the channel's monotonic clock;
     * 0 unless {@link #wantsDuration()}. This is what the channel calls; the default forgets the
     * duration and calls {@link #onCallEnded(Status, Metadata)}. A policy that judges backends by latency (such as
     * {@code peak_ewma}) overrides this one: the channel keeps the start time in the attempt it
     * already has, so a listener shared by all calls of an endpoint learns each call's own latency
     * without a per-call object. A listener that wraps another forwards this form.
     */
    default void onCallEnded(Status status, Metadata trailers, long durationNanos) {
        onCallEnded(status, trailers);
    }
}
