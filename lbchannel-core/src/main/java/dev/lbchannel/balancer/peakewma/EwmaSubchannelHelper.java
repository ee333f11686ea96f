package dev.lbchannel.balancer.peakewma;

import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ForwardingBalancerHelper;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The helper the base balancer gets under {@code peak_ewma}: every subchannel it creates is an
 * {@link EwmaSubchannel}, whose calls in flight channelz shows as {@code outstandingCalls} and
 * whose average latency (decayed as a pick would see it now) as {@code ewmaLatencyMicros}, -1
 * before the first sample; everything else is the channel's (or the parent policy's) helper.
 * Runs on the serializer.
 */
final class EwmaSubchannelHelper extends ForwardingBalancerHelper {

    static final String OUTSTANDING_GAUGE = "outstandingCalls";
    static final String LATENCY_GAUGE = "ewmaLatencyMicros";

    private final BalancerHelper parent;
    private final SampleClock clock;
    private final AtomicReference<PeakEwmaConfig> config;

    EwmaSubchannelHelper(BalancerHelper parent, SampleClock clock, AtomicReference<PeakEwmaConfig> config) {
        this.parent = parent;
        this.clock = clock;
        this.config = config;
    }

    @Override
    protected BalancerHelper delegate() {
        return parent;
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        return wrap(parent.createSubchannel(endpoint));
    }

    /** Forwarded with its options, so health checking (gRFC A17) stays on. */
    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        return wrap(parent.createSubchannel(endpoint, options));
    }

    private Subchannel wrap(Subchannel created) {
        EwmaSubchannel wrapped = new EwmaSubchannel(created, clock, config);
        parent.subchannelGauge(wrapped, OUTSTANDING_GAUGE, wrapped::outstanding);
        parent.subchannelGauge(wrapped, LATENCY_GAUGE, () -> !wrapped.latency().hasSample() ? -1
                : Math.round(wrapped.latency().nanosAt(clock.latest(), config.get().decayTime().toNanos()) / 1e3));
        return wrapped;
    }
}
