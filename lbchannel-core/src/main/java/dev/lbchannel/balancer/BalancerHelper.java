package dev.lbchannel.balancer;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The channel as a balancer sees it. Call every method from the channel's {@link Serializer}.
 */
public interface BalancerHelper {

    /**
     * Creates a subchannel for one endpoint. It stays IDLE until
     * {@link Subchannel#requestConnection()}; its states go to the listener given to
     * {@link Subchannel#start}.
     */
    Subchannel createSubchannel(Endpoint endpoint);

    /**
     * Publishes the balancer's aggregate state and the picker for new RPCs. The picker replaces
     * the previous one at once; RPCs queued for lack of a usable pick are picked again.
     */
    void updateState(ConnectivityState state, Picker picker);

    /** Asks the resolver for a fresh resolution, for example after a connection was lost. */
    void refreshNameResolution();

    /** The authority RPCs of this channel carry by default. */
    String authority();

    /** The serializer every balancer call runs on, to hop back into from timers and callbacks. */
    Serializer serializer();

    /** For balancer timers; hop into {@link #serializer()} before touching balancer state. */
    ScheduledExecutorService scheduler();

    /**
     * Where a policy reports its outlier ejections (gRFC A50) for channelz and meters. A helper
     * that wraps another forwards this; the default reports nothing.
     */
    default EjectionReporter ejectionReporter() {
        return EjectionReporter.NONE;
    }
}
