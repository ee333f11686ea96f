package dev.lbchannel.actuate.health;

import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Contributes {@code lbchannel} to the health endpoint: a composite with one
 * {@link ChannelHealthIndicator} per channel ({@code components.lbchannel.components.<name>}),
 * which follows the channels through refreshes.
 * Boot's liveness group includes only the liveness state unless configured otherwise, so a
 * failing backend never restarts the application; to make a channel gate readiness, add
 * {@code management.endpoint.health.group.readiness.include=readinessState,lbchannel/orders}; with
 * {@code connect-on-startup} the channel is out of service until it has connected once, so
 * readiness waits for its first connection.
 * Switched off with {@code management.health.lbchannel.enabled=false}.
 */
@AutoConfiguration(after = LbChannelAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LbChannels.class)
@ConditionalOnEnabledHealthIndicator("lbchannel")
public final class LbChannelHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "lbchannelHealthContributor")
    CompositeHealthContributor lbchannelHealthContributor(LbChannels channels) {
        return new ChannelHealthContributors(channels);
    }
}
