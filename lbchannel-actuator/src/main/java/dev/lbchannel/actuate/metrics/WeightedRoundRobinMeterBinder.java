package dev.lbchannel.actuate.metrics;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.channelz.WeightStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * gRFC A78's {@code weighted_round_robin} counters for every channel: updates that fell back to
 * round robin, and endpoints whose weight was not yet usable or stale, summed over updates. They
 * read the channel's snapshot (function counters refer to it weakly, so a closed channel is not
 * kept alive) and stay at zero on a channel whose policy does not weigh endpoints. A78's
 * {@code grpc.lb.wrr.endpoint_weights} histogram is not bound: each endpoint's current weight is in
 * channelz instead. They follow refreshes as {@link PerChannelMeterBinder} says.
 */
final class WeightedRoundRobinMeterBinder extends PerChannelMeterBinder {

    WeightedRoundRobinMeterBinder(LbChannels channels) {
        super(channels);
    }

    @Override
    List<Meter> register(MeterRegistry registry, String name, LbChannel channel) {
        Tags tags = Tags.of(GrpcMeterNames.CHANNEL_TAG, name,
                GrpcMeterNames.TARGET_TAG, CanonicalTarget.of(channel.target()));
        return List.of(
                counter(registry, channel, tags, GrpcMeterNames.WRR_RR_FALLBACK, WeightStats::rrFallbacks,
                        "Weight updates with fewer than two weighted endpoints, picked as round robin", "updates"),
                counter(registry, channel, tags, GrpcMeterNames.WRR_ENDPOINT_WEIGHT_NOT_YET_USABLE,
                        WeightStats::notYetUsable, "Endpoints without a usable weight yet, per weight update",
                        "endpoints"),
                counter(registry, channel, tags, GrpcMeterNames.WRR_ENDPOINT_WEIGHT_STALE, WeightStats::stale,
                        "Endpoints whose weight had expired, per weight update", "endpoints"));
    }

    private static Meter counter(MeterRegistry registry, LbChannel channel, Tags tags, String meter,
            ToLongFunction<WeightStats> count, String description, String unit) {
        return FunctionCounter.builder(meter, channel, c -> count.applyAsLong(c.snapshot().weights()))
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }
}
