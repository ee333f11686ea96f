package dev.lbchannel.balancer.leastrequest;

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
 * The helper the base balancer gets under {@code least_request}: every subchannel it creates is
 * a {@link CountedSubchannel}, whose count channelz shows as {@code outstandingCalls}; everything
 * else is the channel's (or the parent policy's) helper. Runs on the serializer.
 */
final class OutstandingCallsHelper implements BalancerHelper {

    /** The name channelz shows a subchannel's outstanding calls under. */
    static final String GAUGE = "outstandingCalls";

    private final BalancerHelper parent;

    OutstandingCallsHelper(BalancerHelper parent) {
        this.parent = parent;
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        return counted(parent.createSubchannel(endpoint));
    }

    /** Forwarded with its options, so health checking (gRFC A17) stays on. */
    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        return counted(parent.createSubchannel(endpoint, options));
    }

    private Subchannel counted(Subchannel created) {
        CountedSubchannel counted = new CountedSubchannel(created);
        parent.subchannelGauge(counted, GAUGE, counted::outstanding);
        return counted;
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
        parent.updateState(state, picker);
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
