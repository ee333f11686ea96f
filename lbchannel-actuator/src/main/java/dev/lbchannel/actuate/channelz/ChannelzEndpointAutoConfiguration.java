package dev.lbchannel.actuate.channelz;

import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@link ChannelzEndpoint} when Actuator is present, the application has
 * {@link LbChannels}, and the endpoint is available (exposed and not switched off). An
 * application's own {@code ChannelzEndpoint} bean wins.
 */
@AutoConfiguration(after = LbChannelAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(LbChannels.class)
@ConditionalOnAvailableEndpoint(ChannelzEndpoint.class)
public final class ChannelzEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ChannelzEndpoint channelzEndpoint(LbChannels channels) {
        return new ChannelzEndpoint(channels);
    }
}
