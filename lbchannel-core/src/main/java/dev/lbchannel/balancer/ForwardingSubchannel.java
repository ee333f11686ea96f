package dev.lbchannel.balancer;

import dev.lbchannel.resolver.Endpoint;

/**
 * A subchannel that stands for another, for a parent policy that hands its child wrapped
 * subchannels (as {@code outlier_detection} does to see states and calls). Every method forwards
 * to {@link #delegate()} unless overridden. A picker may return the wrapper: the channel follows
 * {@link #delegate()} down to the subchannel it created. Same threading as {@link Subchannel}.
 */
public abstract class ForwardingSubchannel implements Subchannel {

    /** The subchannel this one stands for; the same one for the wrapper's whole life. */
    public abstract Subchannel delegate();

    @Override
    public void start(SubchannelStateListener listener) {
        delegate().start(listener);
    }

    @Override
    public void requestConnection() {
        delegate().requestConnection();
    }

    @Override
    public void updateEndpoint(Endpoint endpoint) {
        delegate().updateEndpoint(endpoint);
    }

    @Override
    public void shutdown() {
        delegate().shutdown();
    }

    @Override
    public Endpoint endpoint() {
        return delegate().endpoint();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + delegate() + "}";
    }
}
