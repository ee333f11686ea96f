package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.boot.LbChannelBuilderCustomizer;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;
import io.grpc.ClientInterceptor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates the channels configured under {@code lbchannel.channels.*} at start-up, as an
 * {@link LbChannels} bean, with this context's resolver and balancer registries (the built-ins
 * plus every {@link ResolverProvider} and {@link BalancerProvider} bean), its SSL bundles, its
 * {@link ClientInterceptor} beans and its {@link LbChannelBuilderCustomizer} beans; and shuts
 * them down with the context. An {@link LbChannelsRefresher} bean applies changed properties
 * later. Backs off when the application defines its own {@link LbChannels}, or sets
 * {@code lbchannel.enabled=false}.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(LbChannel.class)
@ConditionalOnBooleanProperty(name = "lbchannel.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LbChannelProperties.class)
public final class LbChannelAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ResolverRegistry lbChannelResolverRegistry(ObjectProvider<ResolverProvider> providers) {
        return ProviderRegistries.resolvers(providers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    BalancerRegistry lbChannelBalancerRegistry(ObjectProvider<BalancerProvider> providers) {
        return ProviderRegistries.balancers(providers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean(LbChannels.class)
    LbChannelsLifecycle lbChannelsLifecycle(LbChannelProperties properties, Environment environment,
            ResolverRegistry resolvers, BalancerRegistry balancers, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<ClientInterceptor> interceptors, ListableBeanFactory beanFactory,
            ObjectProvider<LbChannelBuilderCustomizer> customizers) {
        List<ChannelDefinition> definitions = new ArrayList<>();
        for (Map.Entry<String, ChannelProperties> entry : properties.getChannels().entrySet()) {
            definitions.add(ChannelDefinition.merge(entry.getKey(), entry.getValue(), properties.getDefaults()));
        }
        CallbackExecutor executor = CallbackExecutor.create(environment, properties.getExecutor().getMaxThreads());
        ChannelFactory factory = new ChannelFactory(resolvers, balancers, sslBundles.getIfAvailable(),
                ChannelInterceptors.of(interceptors.orderedStream().toList(),
                        beanFactory.getBeansOfType(ClientInterceptor.class)),
                customizers.orderedStream().toList(), executor.executor(), properties.getTransport(),
                new YamlOrigins(environment));
        try {
            LiveChannels channels = new LiveChannels(definitions.stream().filter(ChannelDefinition::enabled).toList(),
                    factory.createAll(definitions));
            return new LbChannelsLifecycle(channels, factory, executor, properties.getStartup().getConnectTimeout(),
                    properties.getShutdown().getGracePeriod());
        } catch (RuntimeException e) {
            executor.shutdown();
            throw e;
        }
    }

    @Bean
    @ConditionalOnMissingBean
    LbChannels lbChannels(LbChannelsLifecycle lifecycle) {
        return lifecycle.channels().view();
    }

    @Bean
    @ConditionalOnBean(LbChannelsLifecycle.class)
    @ConditionalOnMissingBean
    LbChannelsRefresher lbChannelsRefresher(LbChannelsLifecycle lifecycle, Environment environment,
            ApplicationEventPublisher events) {
        return new LbChannelsRefresher(environment, lifecycle.factory(), lifecycle.channels(), events);
    }
}
