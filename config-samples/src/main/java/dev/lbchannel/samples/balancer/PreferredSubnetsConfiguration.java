package dev.lbchannel.samples.balancer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code preferred_subnets} policy: the starter picks up every
 * {@code BalancerProvider} bean under its policy name, so a channel's
 * {@code service-config.loadBalancingConfig} can select it with its own block (sample:
 * {@code samples/custom-balancer.yml}).
 */
@Configuration(proxyBeanMethods = false)
public class PreferredSubnetsConfiguration {

    @Bean
    PreferredSubnetsBalancerProvider preferredSubnetsBalancerProvider() {
        return new PreferredSubnetsBalancerProvider();
    }
}
