package dev.lbchannel.demo.backend;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the backends as the context is built, so their ports are known before any channel
 * resolves them; they stop when the context is destroyed, after the channels have shut down.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackendProperties.class)
class BackendConfiguration {

    @Bean(destroyMethod = "close")
    Backends backends(BackendProperties properties) {
        return Backends.start(properties.getPorts());
    }
}
