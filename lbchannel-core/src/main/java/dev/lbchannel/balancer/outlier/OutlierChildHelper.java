package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.EjectionReporter;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.serializer.Serializer;
import io.grpc.ConnectivityState;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The helper the child policy gets: its subchannels come wrapped so that ejections reach it as
 * TRANSIENT_FAILURE, and its pickers go out through {@link OutlierDetectionBalancer}, which adds
 * the counting. Everything else is the channel's helper. Runs on the serializer.
 */
final class OutlierChildHelper implements BalancerHelper {

    private final BalancerHelper parent;
    private final OutlierDetectionBalancer owner;

    OutlierChildHelper(BalancerHelper parent, OutlierDetectionBalancer owner) {
        this.parent = parent;
        this.owner = owner;
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        return owner.wrap(parent.createSubchannel(endpoint));
    }

    /** Health-checked states reach the wrapper first, so an ejection still overrides a SERVING backend. */
    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        return owner.wrap(parent.createSubchannel(endpoint, options));
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
        owner.childState(this, state, picker);
    }

    @Override
    public void refreshNameResolution() {
        parent.refreshNameResolution();
    }

    @Override
    public String authority() {
        return parent.authority();
    }

    @Override
    public Serializer serializer() {
        return parent.serializer();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return parent.scheduler();
    }

    @Override
    public EjectionReporter ejectionReporter() {
        return parent.ejectionReporter();
    }

    @Override
    public void subchannelGauge(Subchannel subchannel, String name, LongSupplier value) {
        parent.subchannelGauge(subchannel, name, value);
    }
}
