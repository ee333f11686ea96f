package dev.lbchannel.balancer.slowstart;

import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelStateListener;
import io.grpc.ConnectivityState;

/**
 * A subchannel that remembers when its current ramp began: it hears each state before the policy
 * does, so a picker built for its READY already sees the ramp. Runs on the serializer; the ramp's
 * start is also read by channelz's gauge, on any thread.
 */
final class SlowStartSubchannel extends ForwardingSubchannel {

    /** {@link #rampStart} when the endpoint is not ramping. */
    static final long NOT_RAMPING = Long.MIN_VALUE;

    private final Subchannel delegate;
    private final SlowStartHelper owner;
    /** Made for the policy's first resolution: its first READY is the policy warming up, not a ramp. */
    private final boolean initial;
    private boolean everReady;
    private volatile long rampStart = NOT_RAMPING;
    /** The factor the policy's last picker used, which channelz shows. */
    private volatile double inUse = 1;

    SlowStartSubchannel(Subchannel delegate, SlowStartHelper owner, boolean initial) {
        this.delegate = delegate;
        this.owner = owner;
        this.initial = initial;
    }

    @Override
    public Subchannel delegate() {
        return delegate;
    }

    SlowStartHelper owner() {
        return owner;
    }

    @Override
    public void start(SubchannelStateListener listener) {
        delegate.start(state -> {
            if (state.getState() == ConnectivityState.READY) {
                // A scale-up (made after the first resolution) or a restart ramps, once the policy is warm.
                boolean ramps = owner.isWarm() && (!initial || everReady);
                everReady = true;
                rampStart = ramps ? owner.startRamp() : NOT_RAMPING;
                owner.warmedUp();
            } else {
                rampStart = NOT_RAMPING;
            }
            listener.onStateChange(state);
        });
    }

    /** When the current ramp began on the policy's clock, or {@link #NOT_RAMPING}. */
    long rampStart() {
        return rampStart;
    }

    double inUse() {
        return inUse;
    }

    void inUse(double factor) {
        inUse = factor;
    }

    @Override
    public void shutdown() {
        owner.forget(this);
        delegate.shutdown();
    }
}
