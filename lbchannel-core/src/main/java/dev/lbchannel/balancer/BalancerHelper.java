package dev.lbchannel.balancer;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.orca.OrcaLoadReportListener;
import dev.lbchannel.orca.OrcaOobSubscription;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

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
     * Creates a subchannel for one endpoint as {@code options} say; with
     * {@link SubchannelOptions#HEALTH_CHECKED} its listener hears the health-checked state
     * (gRFC A17) while the service config names a health-check service. The channel applies the
     * current service config's {@code healthCheckConfig} to the subchannel, now and on every
     * change, so a policy needs nothing more than this choice.
     *
     * <p>A helper that wraps another (for a parent policy) must forward this method, as
     * {@link ForwardingBalancerHelper} does; the default serves only
     * {@link SubchannelOptions#DEFAULT}, so that a forgotten override fails loudly instead of
     * turning health checking off unseen.
     *
     * @throws UnsupportedOperationException from the default, for any other options
     */
    default Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        if (options.healthChecked()) {
            throw new UnsupportedOperationException(getClass().getName()
                    + " does not support health-checked subchannels; a wrapping helper must forward"
                    + " createSubchannel(Endpoint, SubchannelOptions)");
        }
        return createSubchannel(endpoint);
    }

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

    /**
     * Where a weighted policy reports each update of its endpoint weights (gRFC A78's
     * {@code grpc.lb.wrr.*} counters). A helper that wraps another forwards this; the default
     * reports nothing.
     */
    default WeightUpdateReporter weightUpdateReporter() {
        return WeightUpdateReporter.NONE;
    }

    /**
     * Shows {@code value} under {@code name} in channelz's view of {@code subchannel} (one this
     * helper created, or a {@link ForwardingSubchannel} of one) for as long as the subchannel
     * lives: a number the policy keeps about that backend, such as {@code least_request}'s
     * outstanding calls or {@code ring_hash}'s ring entries. Channelz reads it whenever a snapshot
     * is taken, on any thread, so {@code value} must be thread-safe and quick. Naming a gauge
     * again replaces it. A helper that wraps another forwards this; the default shows nothing.
     */
    default void subchannelGauge(Subchannel subchannel, String name, LongSupplier value) {
    }

    /**
     * Starts out-of-band load reports (gRFC A51) from the backend of {@code subchannel} (one this
     * helper created, or a {@link ForwardingSubchannel} of one): while its connection is READY, a
     * {@code xds.service.orca.v3.OpenRcaService/StreamCoreMetrics} stream on that connection asks
     * for a report every {@code reportInterval} (the shortest any listener of the subchannel wants)
     * and {@code listener} hears each one on the serializer. The stream follows the connection:
     * it restarts after a reconnect, with backoff after a failure, and stops on a server without
     * ORCA; the subchannel's state never depends on it. Cancel the subscription to stop; the
     * subchannel's shutdown stops it too. Per-call reports need no helper: see
     * {@link dev.lbchannel.orca.OrcaPerCallReports}.
     *
     * <p>A helper that wraps another forwards this, as {@link ForwardingBalancerHelper} does.
     *
     * @throws UnsupportedOperationException from the default: this helper cannot open streams
     */
    default OrcaOobSubscription watchOrcaReports(Subchannel subchannel, Duration reportInterval,
            OrcaLoadReportListener listener) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not support ORCA out-of-band load reports; a wrapping helper must forward watchOrcaReports");
    }
}
