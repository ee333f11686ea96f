package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Subchannel;
import io.grpc.Status;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A subchannel with gRFC A48's outstanding-call counter: it lives as long as the subchannel, so
 * calls keep counting while the endpoint leaves the READY set and comes back. The counter goes up
 * when a picked call's stream opens on it and down when that stream ends, whatever its status
 * (A48 allows the increment "during stream creation"; counting there rather than in the picker
 * means a pick that never becomes a stream, such as one whose connection just closed, cannot leave
 * the count too high for good). Its one {@link PickResult} carries it as the listener, so a pick
 * allocates nothing. The counter is read and written from any thread; the rest runs on the
 * serializer.
 */
final class CountedSubchannel extends ForwardingSubchannel implements CallOutcomeListener {

    private static final VarHandle OUTSTANDING;

    static {
        try {
            OUTSTANDING = MethodHandles.lookup().findVarHandle(CountedSubchannel.class, "outstanding", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Subchannel delegate;
    private final PickResult result;
    @SuppressWarnings("unused") // through OUTSTANDING
    private volatile int outstanding;

    CountedSubchannel(Subchannel delegate) {
        this.delegate = delegate;
        this.result = PickResult.withSubchannel(this, this);
    }

    @Override
    public Subchannel delegate() {
        return delegate;
    }

    /** The pick result that sends a call here and counts it. */
    PickResult result() {
        return result;
    }

    /** Calls whose streams are open on this endpoint now; one volatile read. */
    int outstanding() {
        return outstanding;
    }

    @Override
    public void onCallStarted() {
        OUTSTANDING.getAndAdd(this, 1);
    }

    @Override
    public void onCallEnded(Status status) {
        OUTSTANDING.getAndAdd(this, -1);
    }
}
