package dev.lbchannel.demo.traffic;

import dev.lbchannel.demo.client.GreeterClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The background traffic, unless {@code demo.traffic.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrafficProperties.class)
class TrafficConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "demo.traffic.enabled", matchIfMissing = true)
    TrafficGenerator trafficGenerator(GreeterClient client, TrafficProperties properties) {
        return new TrafficGenerator(client, properties.getRate());
    }
}
