package dev.lbchannel.actuate.metrics;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.channelz.DetectionMethod;
import dev.lbchannel.channelz.UnenforcedReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;

/**
 * gRFC A91's outlier detection counters for every channel: ejections enforced by detection
 * method, and outliers left in service by method and reason. They read the channel's snapshot
 * (function counters refer to it weakly, so a closed channel is not kept alive) and stay at zero
 * on a channel whose policy does not detect outliers. They follow refreshes as
 * {@link PerChannelMeterBinder} says.
 */
final class OutlierDetectionMeterBinder extends PerChannelMeterBinder {

    OutlierDetectionMeterBinder(LbChannels channels) {
        super(channels);
    }

    @Override
    List<Meter> register(MeterRegistry registry, String name, LbChannel channel) {
        Tags tags = Tags.of(GrpcMeterNames.CHANNEL_TAG, name,
                GrpcMeterNames.TARGET_TAG, CanonicalTarget.of(channel.target()));
        List<Meter> meters = new ArrayList<>();
        for (DetectionMethod method : DetectionMethod.values()) {
            Tags byMethod = tags.and(GrpcMeterNames.DETECTION_METHOD_TAG, method.label());
            meters.add(FunctionCounter.builder(GrpcMeterNames.OUTLIER_EJECTIONS_ENFORCED, channel,
                    c -> c.snapshot().ejections().enforced(method))
                    .description("Endpoints outlier detection ejected").baseUnit("ejections")
                    .tags(byMethod).register(registry));
            for (UnenforcedReason reason : UnenforcedReason.values()) {
                meters.add(FunctionCounter.builder(GrpcMeterNames.OUTLIER_EJECTIONS_UNENFORCED, channel,
                        c -> c.snapshot().ejections().unenforced(method, reason))
                        .description("Outliers outlier detection found but left in service").baseUnit("ejections")
                        .tags(byMethod).tag(GrpcMeterNames.UNENFORCED_REASON_TAG, reason.label())
                        .register(registry));
            }
        }
        return meters;
    }
}
