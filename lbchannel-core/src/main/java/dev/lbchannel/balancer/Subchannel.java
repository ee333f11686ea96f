package dev.lbchannel.balancer;

import dev.lbchannel.resolver.Endpoint;

/**
 * One logical connection to one endpoint: it connects the endpoint's addresses in order,
 * reconnects with backoff, and reports IDLE, CONNECTING, READY, TRANSIENT_FAILURE and SHUTDOWN.
 * Created by {@link BalancerHelper#createSubchannel}; call it from the channel's serializer.
 */
public interface Subchannel {

    /** Starts reporting state changes to {@code listener}, on the serializer. Call once. */
    void start(SubchannelStateListener listener);

    /** Connects if IDLE; otherwise does nothing. */
    void requestConnection();

    /**
     * Replaces the endpoint's addresses; a connection to an address still in the list is kept.
     */
    void updateEndpoint(Endpoint endpoint);

    /**
     * Removes the subchannel: no new RPCs are picked onto it, RPCs in flight finish, then its
     * connections close. Its listener hears nothing more.
     */
    void shutdown();

    /** The endpoint as last given. */
    Endpoint endpoint();
}
