package dev.lbchannel.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.annotation.Bean;

/**
 * Refreshes the channels on Spring Cloud's {@code EnvironmentChangeEvent}, when spring-cloud-context
 * is on the class path and the starter runs the channels. Without Spring Cloud, the
 * {@link LbChannelsRefresher} bean is the hook.
 */
@AutoConfiguration(after = LbChannelAutoConfiguration.class)
@ConditionalOnClass(EnvironmentChangeEvent.class)
@ConditionalOnBean(LbChannelsRefresher.class)
public final class LbChannelRefreshAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EnvironmentChangeRefresh lbChannelsEnvironmentChangeRefresh(LbChannelsRefresher refresher) {
        return new EnvironmentChangeRefresh(refresher);
    }
}
