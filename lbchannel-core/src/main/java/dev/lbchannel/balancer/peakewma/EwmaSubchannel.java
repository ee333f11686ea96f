package dev.lbchannel.balancer.peakewma;

import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Subchannel;
import io.grpc.Metadata;
import io.grpc.Status;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A subchannel with what {@code peak_ewma} judges it by, for its whole life (so it survives the
 * endpoint leaving the READY set): its calls in flight, counted as {@code least_request} counts
 * them (up as a picked call's stream opens, down as it ends), and the {@link PeakEwma} of its
 * calls' latencies, which the channel measures per call and hands to
 * {@link #onCallEnded(Status, Metadata, long)}. Its one {@link PickResult} carries it as the
 * listener, so a pick allocates nothing.
 *
 * <p>What a call's end teaches, by its status:
 * <ul>
 * <li>OK, or an answer of the application's (such as NOT_FOUND or INVALID_ARGUMENT): its
 *     latency, as it is;
 * <li>a failure that may be the backend's (UNAVAILABLE, UNKNOWN, INTERNAL, DEADLINE_EXCEEDED,
 *     RESOURCE_EXHAUSTED, DATA_LOSS): counted as slow, the larger of its latency and twice the
 *     average (the penalty latency before any sample), the doubling capped at the penalty
 *     latency, so a backend that fails fast is not taken for a fast one and a run of failures
 *     drives its cost up at once, by the peak rule;
 * <li>CANCELLED: nothing, since the client ended it and its duration says nothing of the backend.
 * </ul>
 * The counter and the average are read and written from any thread; the rest runs on the
 * serializer.
 */
final class EwmaSubchannel extends ForwardingSubchannel implements CallOutcomeListener {

    private static final VarHandle OUTSTANDING;

    static {
        try {
            OUTSTANDING = MethodHandles.lookup().findVarHandle(EwmaSubchannel.class, "outstanding", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Subchannel delegate;
    private final PickResult result;
    private final PeakEwma latency = new PeakEwma();
    private final SampleClock clock;
    /** The policy's current config, shared by its subchannels; one volatile read per call's end. */
    private final AtomicReference<PeakEwmaConfig> config;
    @SuppressWarnings("unused") // through OUTSTANDING
    private volatile int outstanding;

    EwmaSubchannel(Subchannel delegate, SampleClock clock, AtomicReference<PeakEwmaConfig> config) {
        this.delegate = delegate;
        this.clock = clock;
        this.config = config;
        this.result = PickResult.withSubchannel(this, this);
    }

    @Override
    public Subchannel delegate() {
        return delegate;
    }

    /** The pick result that sends a call here, counts it and times it. */
    PickResult result() {
        return result;
    }

    int outstanding() {
        return outstanding;
    }

    PeakEwma latency() {
        return latency;
    }

    /**
     * What a pick weighs this endpoint by at {@code now}: the decayed average latency times the
     * calls in flight plus one; before the first sample, 0 while nothing is in flight (try it) and
     * the penalty latency otherwise (wait for its first answer).
     */
    double cost(long now, double decayNanos, double penaltyNanos) {
        int inFlight = outstanding;
        return latency.nanosAt(now, decayNanos, inFlight == 0 ? 0 : penaltyNanos) * (inFlight + 1);
    }

    @Override
    public void onCallStarted() {
        OUTSTANDING.getAndAdd(this, 1);
    }

    /** Each call's latency is what this listener learns from. */
    @Override
    public boolean wantsDuration() {
        return true;
    }

    /** Only counts: the channel always calls the timed form below. */
    @Override
    public void onCallEnded(Status status) {
        OUTSTANDING.getAndAdd(this, -1);
    }

    @Override
    public void onCallEnded(Status status, Metadata trailers, long durationNanos) {
        OUTSTANDING.getAndAdd(this, -1);
        Status.Code code = status.getCode();
        if (code == Status.Code.CANCELLED) {
            return;
        }
        PeakEwmaConfig current = config.get();
        double decay = current.decayTime().toNanos();
        double sample = Math.max(0, durationNanos);
        if (backendFailure(code)) {
            double penalty = current.penaltyLatency().toNanos();
            double doubled = latency.hasSample() ? Math.min(2 * latency.lastNanos(), penalty) : penalty;
            sample = Math.max(sample, doubled);
        }
        latency.observe(sample, clock.sampleTime(decay), decay);
    }

    private static boolean backendFailure(Status.Code code) {
        return switch (code) {
            case UNAVAILABLE, UNKNOWN, INTERNAL, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, DATA_LOSS -> true;
            default -> false;
        };
    }
}
