package dev.lbchannel.demo;

import dev.lbchannel.demo.backend.Backends;
import dev.lbchannel.demo.resolver.DemoResolverProvider;
import dev.lbchannel.resolver.ResolverProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The demo's entry point. Everything lbchannel does here comes from {@code application.yml} and
 * one bean: the {@link ResolverProvider} below, which makes the {@code demo:///greeter} targets
 * of the configured channels resolve to the demo's own backends.
 */
@SpringBootApplication
public class DemoApplication {

    /**
     * Declaring a resolver is declaring a bean: the starter registers it under its scheme
     * ({@code demo}) for this application's channels.
     */
    @Bean
    ResolverProvider demoResolverProvider(Backends backends) {
        return new DemoResolverProvider(backends);
    }

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
