package dev.lbchannel.balancer;

import dev.lbchannel.orca.OrcaLoadReportListener;
import dev.lbchannel.orca.OrcaOobSubscription;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.serializer.Serializer;
import io.grpc.ConnectivityState;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * A helper that passes every call to another, for a parent policy that hands its child a helper
 * of its own and changes only what it must (wrapping subchannels, taking the child's pickers).
 * Forwarding everything by default means a method added to {@link BalancerHelper} later, and the
 * health-checked {@link #createSubchannel(Endpoint, SubchannelOptions)} above all, can never be
 * dropped by a wrapper that forgot it.
 */
public abstract class ForwardingBalancerHelper implements BalancerHelper {

    /** The helper calls go to: the channel's, or the parent policy's own. */
    protected abstract BalancerHelper delegate();

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        return delegate().createSubchannel(endpoint);
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        return delegate().createSubchannel(endpoint, options);
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
        delegate().updateState(state, picker);
    }

    @Override
    public void refreshNameResolution() {
        delegate().refreshNameResolution();
    }

    @Override
    public String authority() {
        return delegate().authority();
    }

    @Override
    public Serializer serializer() {
        return delegate().serializer();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return delegate().scheduler();
    }

    @Override
    public EjectionReporter ejectionReporter() {
        return delegate().ejectionReporter();
    }

    @Override
    public WeightUpdateReporter weightUpdateReporter() {
        return delegate().weightUpdateReporter();
    }

    @Override
    public void subchannelGauge(Subchannel subchannel, String name, LongSupplier value) {
        delegate().subchannelGauge(subchannel, name, value);
    }

    @Override
    public OrcaOobSubscription watchOrcaReports(Subchannel subchannel, Duration reportInterval,
            OrcaLoadReportListener listener) {
        return delegate().watchOrcaReports(subchannel, reportInterval, listener);
    }
}
