package dev.lbchannel.samples.resolver;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code file} scheme: the starter picks up every {@code ResolverProvider} bean
 * under its scheme, so {@code lbchannel.channels.<name>.target: file:///...} works once this
 * configuration is part of the application (sample: {@code samples/custom-resolver.yml}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EndpointsFileProperties.class)
public class EndpointsFileConfiguration {

    @Bean
    EndpointsFileResolverProvider endpointsFileResolverProvider(EndpointsFileProperties properties) {
        return new EndpointsFileResolverProvider(properties.pollInterval());
    }
}
