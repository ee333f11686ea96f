package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ForwardingBalancerHelper;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;

/**
 * The helper the base balancer gets under {@code least_request}: every subchannel it creates is
 * a {@link CountedSubchannel}, whose count channelz shows as {@code outstandingCalls}; everything
 * else is the channel's (or the parent policy's) helper. Runs on the serializer.
 */
final class OutstandingCallsHelper extends ForwardingBalancerHelper {

    /** The name channelz shows a subchannel's outstanding calls under. */
    static final String GAUGE = "outstandingCalls";

    private final BalancerHelper parent;

    OutstandingCallsHelper(BalancerHelper parent) {
        this.parent = parent;
    }

    @Override
    protected BalancerHelper delegate() {
        return parent;
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
}
