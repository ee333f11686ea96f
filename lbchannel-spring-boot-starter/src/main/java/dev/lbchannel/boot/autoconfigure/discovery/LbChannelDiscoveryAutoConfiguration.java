package dev.lbchannel.boot.autoconfigure.discovery;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code discovery} resolver ({@code discovery:///service-id}) when
 * spring-cloud-commons is on the class path and the application has a {@link DiscoveryClient}
 * bean (Eureka's, Consul's, the simple one from {@code spring.cloud.discovery.client.simple.*},
 * or Spring Cloud's composite of them), unless {@code lbchannel.discovery.enabled=false}. The
 * resolvers fetch again on every {@code HeartbeatEvent} and every
 * {@code lbchannel.discovery.refresh-interval}. An application replaces the resolver by declaring
 * its own {@link DiscoveryResolverProvider} bean, or any {@code ResolverProvider} bean named
 * {@code discoveryResolverProvider}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.netflix.eureka.EurekaDiscoveryClientConfiguration",
        "org.springframework.cloud.netflix.eureka.EurekaClientAutoConfiguration"})
@ConditionalOnClass(DiscoveryClient.class)
@ConditionalOnBean(DiscoveryClient.class)
@ConditionalOnBooleanProperty(name = "lbchannel.discovery.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LbChannelDiscoveryProperties.class)
public final class LbChannelDiscoveryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(value = DiscoveryResolverProvider.class, name = "discoveryResolverProvider")
    DiscoveryResolverProvider discoveryResolverProvider(DiscoveryClient client, LbChannelDiscoveryProperties properties) {
        if (properties.getRefreshInterval() == null || properties.getRefreshInterval().isNegative()) {
            throw new InvalidConfigurationPropertyValueException("lbchannel.discovery.refresh-interval",
                    properties.getRefreshInterval(), "It must be zero (heartbeats only) or positive, like 30s.");
        }
        return new DiscoveryResolverProvider(client, properties.getRefreshInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    DiscoveryHeartbeatListener lbChannelDiscoveryHeartbeatListener(ObjectProvider<DiscoveryResolverProvider> provider) {
        return new DiscoveryHeartbeatListener(provider);
    }
}
