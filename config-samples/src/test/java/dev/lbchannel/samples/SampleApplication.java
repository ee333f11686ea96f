package dev.lbchannel.samples;

import dev.lbchannel.testing.ServedByCounter;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application every sample runs in: auto-configuration (so the starter reads the sample's
 * {@code lbchannel.*}), plus a client interceptor bean that counts which backend served each
 * call, which the starter applies to every channel as it would any application's interceptor.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class SampleApplication {

    @Bean
    ServedByCounter servedByCounter() {
        return new ServedByCounter();
    }
}
