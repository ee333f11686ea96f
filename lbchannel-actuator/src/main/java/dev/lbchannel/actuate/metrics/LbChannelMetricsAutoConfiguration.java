package dev.lbchannel.actuate.metrics;

import dev.lbchannel.boot.LbChannelBuilderCustomizer;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Meters every channel when Micrometer and a {@link MeterRegistry} are present: a
 * {@link LbChannelBuilderCustomizer} adds the call-metering interceptor to each channel's builder
 * (the channel's name becomes the {@code channel} tag), a binder adds subchannel gauges, and
 * another outlier detection's ejection counters.
 */
@AutoConfiguration(after = {LbChannelAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
        SimpleMetricsExportAutoConfiguration.class})
@ConditionalOnClass({MeterRegistry.class, CompositeMeterRegistryAutoConfiguration.class})
@ConditionalOnBean({MeterRegistry.class, LbChannels.class})
public final class LbChannelMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "lbChannelMetricsCustomizer")
    LbChannelBuilderCustomizer lbChannelMetricsCustomizer(ObjectProvider<MeterRegistry> registry,
            ObjectProvider<LbChannels> channels) {
        return (channelName, builder) -> builder.intercept(new MetricsClientInterceptor(new CallMeters(
                registry.getObject(), channelName, new CurrentTarget(channels, channelName))));
    }

    @Bean
    @ConditionalOnMissingBean
    SubchannelMeterBinder lbChannelSubchannelMeterBinder(LbChannels channels) {
        return new SubchannelMeterBinder(channels);
    }

    @Bean
    @ConditionalOnMissingBean
    OutlierDetectionMeterBinder lbChannelOutlierDetectionMeterBinder(LbChannels channels) {
        return new OutlierDetectionMeterBinder(channels);
    }

    @Bean
    @ConditionalOnMissingBean
    WeightedRoundRobinMeterBinder lbChannelWeightedRoundRobinMeterBinder(LbChannels channels) {
        return new WeightedRoundRobinMeterBinder(channels);
    }
}
