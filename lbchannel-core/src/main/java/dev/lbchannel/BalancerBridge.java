package dev.lbchannel;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.EjectionReporter;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.balancer.WeightUpdateReporter;
import dev.lbchannel.orca.OrcaLoadReportListener;
import dev.lbchannel.orca.OrcaOobSubscription;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;
import io.grpc.Status;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Stands between the channel and one balancer (the seed's ccBalancerWrapper): every call into
 * the balancer, and every call the balancer makes through this helper, runs on the serializer;
 * a bridge that was shut down ignores its balancer from then on.
 */
final class BalancerBridge implements BalancerHelper {

    private final LbChannel channel;
    private final GracefulSwitch owner;
    private final String policyName;
    private final Balancer balancer;
    private boolean shutdown;

    BalancerBridge(LbChannel channel, GracefulSwitch owner, BalancerProvider provider) {
        this.channel = channel;
        this.owner = owner;
        this.policyName = provider.policyName();
        this.balancer = provider.newBalancer(this);
    }

    String policyName() {
        return policyName;
    }

    Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        channel.serializer().assertInContext();
        return shutdown ? Status.OK : balancer.acceptResolvedEndpoints(resolved);
    }

    void handleResolutionError(Status error) {
        channel.serializer().assertInContext();
        if (!shutdown) {
            balancer.handleResolutionError(error);
        }
    }

    void requestConnection() {
        channel.serializer().assertInContext();
        if (!shutdown) {
            balancer.requestConnection();
        }
    }

    void shutdown() {
        channel.serializer().assertInContext();
        if (!shutdown) {
            shutdown = true;
            balancer.shutdown();
        }
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        return createSubchannel(endpoint, SubchannelOptions.DEFAULT);
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        channel.serializer().assertInContext();
        if (shutdown) {
            throw new IllegalStateException("The balancer was shut down; it may not create subchannels");
        }
        return channel.subchannels().create(endpoint, options);
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
        channel.serializer().assertInContext();
        if (!shutdown) {
            owner.onBalancerState(this, state, picker);
        }
    }

    @Override
    public void refreshNameResolution() {
        channel.serializer().assertInContext();
        if (!shutdown) {
            channel.refreshNameResolution();
        }
    }

    @Override
    public String authority() {
        return channel.authority();
    }

    @Override
    public Serializer serializer() {
        return channel.serializer();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return channel.scheduler();
    }

    @Override
    public EjectionReporter ejectionReporter() {
        return channel.ejections();
    }

    @Override
    public WeightUpdateReporter weightUpdateReporter() {
        return channel.weightUpdates();
    }

    @Override
    public void subchannelGauge(Subchannel subchannel, String name, LongSupplier value) {
        channel.serializer().assertInContext();
        DefaultSubchannel.unwrap(subchannel).gauges.put(name, value);
    }

    @Override
    public OrcaOobSubscription watchOrcaReports(Subchannel subchannel, Duration reportInterval,
            OrcaLoadReportListener listener) {
        channel.serializer().assertInContext();
        return DefaultSubchannel.unwrap(subchannel).orcaReports().subscribe(reportInterval, listener);
    }
}
