package dev.lbchannel.balancer;

import dev.lbchannel.serializer.Serializer;
import io.grpc.Status;

/**
 * Turns the resolver's endpoints into subchannels and publishes pickers through its
 * {@link BalancerHelper}. Every method is called from the channel's {@link Serializer}, one at a
 * time, so an implementation needs no locks; it must not block.
 */
public interface Balancer {

    /**
     * Takes a new resolution: the full set of endpoints and this policy's parsed config.
     *
     * @return {@link Status#OK} when the balancer can work with it; an error (for example for an
     *     empty endpoint list) makes the channel ask the resolver again, with backoff
     */
    Status acceptResolvedEndpoints(ResolvedEndpoints resolved);

    /** The resolver failed; a balancer with working subchannels may keep using them. */
    void handleResolutionError(Status error);

    /** The channel leaves idle because an RPC arrived: connect if not connected. */
    default void requestConnection() {
    }

    /** Shuts down every subchannel this balancer created. Nothing is called after this. */
    void shutdown();
}
