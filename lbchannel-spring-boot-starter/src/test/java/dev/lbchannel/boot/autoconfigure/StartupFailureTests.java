package dev.lbchannel.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real SpringApplication with a bad channel does not start, and Boot reports lbchannel's analysis. */
@Timeout(60)
class StartupFailureTests {

    @Test
    void aBadTargetStopsTheApplicationWithTheAnalysis() {
        RecordingFailureAnalysisReporter.takeLast();
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.config.name=none", "lbchannel.channels.orders.target=dnss:///orders.internal:8443")
                .run()).isNotNull();
        FailureAnalysis analysis = RecordingFailureAnalysisReporter.takeLast();
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).startsWith("The lbchannel property 'lbchannel.channels.orders.target' "
                + "has the value 'dnss:///orders.internal:8443'")
                // The optional integrations on this module's class path (kubernetes, discovery, etcd) add their schemes.
                .containsPattern("Unknown scheme 'dnss'; registered schemes: ([a-z]+, )*dns, ([a-z]+, )*passthrough, static, unix");
        assertThat(analysis.getAction()).contains("declare a ResolverProvider bean whose scheme() is 'dnss'");
    }

    @Test
    void anInvalidServiceConfigStopsTheApplicationNamingTheYamlPath() {
        RecordingFailureAnalysisReporter.takeLast();
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.config.name=none", "lbchannel.channels.orders.target=static:///127.0.0.1:1",
                        "lbchannel.channels.orders.service-config.method-config[0].name[0].method=Get")
                .run()).isNotNull();
        FailureAnalysis analysis = RecordingFailureAnalysisReporter.takeLast();
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .contains("'lbchannel.channels.orders.service-config.method-config[0].name[0]'")
                .contains("Invalid service config: methodConfig[0].name[0] must name a service when it names a method");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
