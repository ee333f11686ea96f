package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ForwardingBalancerHelper;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;

/**
 * The helper the child policy gets: its subchannels come wrapped so that ejections reach it as
 * TRANSIENT_FAILURE, and its pickers go out through {@link OutlierDetectionBalancer}, which adds
 * the counting. Everything else is the channel's helper. Runs on the serializer.
 */
final class OutlierChildHelper extends ForwardingBalancerHelper {

    private final BalancerHelper parent;
    private final OutlierDetectionBalancer owner;

    OutlierChildHelper(BalancerHelper parent, OutlierDetectionBalancer owner) {
        this.parent = parent;
        this.owner = owner;
    }

    @Override
    protected BalancerHelper delegate() {
        return parent;
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
}
