package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.config.Json;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML of {@code weighted_round_robin} (gRFC A58, A114): its block becomes typed JSON with
 * Spring's durations, a channel starts with it, and a bad value stops start-up with an analysis
 * that names its very property.
 */
@Timeout(60)
class WeightedRoundRobinConfigTests {

    private static final ApplicationContextRunner RUNNER = LbChannelAutoConfigurationTests.RUNNER;
    private static final String PREFIX = "lbchannel.channels.orders.service-config";

    @Test
    void theBlockIsTyped() {
        assertThat(json("""
                load-balancing-config:
                  - weighted_round_robin:
                      blackout-period: 10s
                      weight-expiration-period: 3m
                      weight-update-period: 500ms
                      error-utilization-penalty: "0.5"
                      enable-oob-load-report: "true"
                      oob-reporting-period: 2.5s
                      metric-names-for-computing-utilization: [ named_metrics.queue, cpu_utilization ]
                """)).isEqualTo("{\"loadBalancingConfig\":[{\"weighted_round_robin\":{\"blackoutPeriod\":\"10s\","
                + "\"weightExpirationPeriod\":\"180s\",\"weightUpdatePeriod\":\"0.500s\",\"errorUtilizationPenalty\":0.5,"
                + "\"enableOobLoadReport\":true,\"oobReportingPeriod\":\"2.500s\","
                + "\"metricNamesForComputingUtilization\":[\"named_metrics.queue\",\"cpu_utilization\"]}}]}");
    }

    @Test
    void aChannelStartsWithIt() {
        RUNNER.withInitializer(Yaml.initializer("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1,127.0.0.1:2
                      plaintext: true
                      service-config:
                        loadBalancingConfig: [ { weighted_round_robin: { blackoutPeriod: 10s, enableOobLoadReport: true } } ]
                """)).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aNegativePenaltyNamesItsProperty() {
        FailureAnalysis analysis = analyze(RUNNER.withInitializer(Yaml.initializer("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config:
                          - weighted_round_robin:
                              error-utilization-penalty: -1
                """)));
        assertThat(analysis.getDescription()).startsWith("The lbchannel property 'lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].weighted_round_robin.error-utilization-penalty' has the value '-1'")
                .contains("Invalid service config: loadBalancingConfig[0].weighted_round_robin.errorUtilizationPenalty"
                        + " must be 0 or more, was -1");
        assertThat(analysis.getAction()).startsWith("Correct lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].weighted_round_robin.error-utilization-penalty as the reason says.");
    }

    @Test
    void aBadDurationNamesItsProperty() {
        FailureAnalysis analysis = analyze(RUNNER.withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                PREFIX + ".load-balancing-config[0].weighted_round_robin.blackout-period=soon"));
        assertThat(analysis.getDescription()).contains("'" + PREFIX
                + ".load-balancing-config[0].weighted_round_robin.blackout-period' has the value 'soon'");
    }

    @Test
    void aMisspeltFieldIsNamed() {
        FailureAnalysis analysis = analyze(RUNNER.withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                PREFIX + ".load-balancing-config[0].weighted_round_robin.blackout-perod=5s"));
        assertThat(analysis.getDescription()).contains("'" + PREFIX
                + ".load-balancing-config[0].weighted_round_robin.blackout-perod'");
    }

    private static String json(String yaml) {
        String indented = ("\n" + yaml).replace("\n", "\n        ");
        return Json.write(ServiceConfigYaml.convert(
                Yaml.bindMap("lbchannel:\n  channels:\n    orders:\n      service-config:" + indented, PREFIX),
                PREFIX).json());
    }

    private static FailureAnalysis analyze(ApplicationContextRunner runner) {
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        runner.run(context -> failure.set(context.getStartupFailure()));
        assertThat(failure.get()).as("start-up failure").isNotNull();
        FailureAnalysis analysis = new LbChannelConfigurationFailureAnalyzer(null).analyze(failure.get());
        assertThat(analysis).as("analysis of %s", failure.get()).isNotNull();
        return analysis;
    }
}
