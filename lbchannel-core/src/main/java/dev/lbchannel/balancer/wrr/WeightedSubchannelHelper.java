package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ForwardingBalancerHelper;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;

import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The helper the base balancer gets under {@code weighted_round_robin}: every subchannel it
 * creates is a {@link WeightedSubchannel}, whose weight channelz shows as {@code weight} (the one
 * the last scheduler used, rounded; 0 while it has none); everything else is the channel's (or the
 * parent policy's) helper. Runs on the serializer.
 */
final class WeightedSubchannelHelper extends ForwardingBalancerHelper {

    /** The name channelz shows an endpoint's weight under. */
    static final String GAUGE = "weight";

    private final BalancerHelper parent;
    private final LongSupplier clock;
    private final Set<WeightedSubchannel> live;
    private final Consumer<WeightedSubchannel> configure;

    /**
     * @param live the policy's live subchannels: each one made joins, and leaves as it shuts down
     * @param configure applies the policy's current config to each subchannel made
     */
    WeightedSubchannelHelper(BalancerHelper parent, LongSupplier clock, Set<WeightedSubchannel> live,
            Consumer<WeightedSubchannel> configure) {
        this.parent = parent;
        this.clock = clock;
        this.live = live;
        this.configure = configure;
    }

    @Override
    protected BalancerHelper delegate() {
        return parent;
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        return weighted(parent.createSubchannel(endpoint));
    }

    /** Forwarded with its options, so health checking (gRFC A17) stays on. */
    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        return weighted(parent.createSubchannel(endpoint, options));
    }

    private Subchannel weighted(Subchannel subchannel) {
        WeightedSubchannel weighted = new WeightedSubchannel(subchannel, parent, clock, live);
        parent.subchannelGauge(weighted, GAUGE, () -> Math.round(weighted.weight().inUse()));
        live.add(weighted);
        configure.accept(weighted);
        return weighted;
    }
}
