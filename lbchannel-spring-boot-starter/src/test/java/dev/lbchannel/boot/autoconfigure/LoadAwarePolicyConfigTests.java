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
 * The YAML of the load-aware policies, {@code least_request} (gRFC A48), {@code ring_hash}
 * (gRFC A42, A76), {@code weighted_round_robin} (gRFC A58, A114), {@code random_subsetting} (gRFC
 * A68), {@code peak_ewma} and the slow-start blocks: their blocks become typed JSON, a channel
 * starts with them, and a bad value stops start-up with an analysis that names its very property.
 */
@Timeout(60)
class LoadAwarePolicyConfigTests {

    private static final ApplicationContextRunner RUNNER = LbChannelAutoConfigurationTests.RUNNER;
    private static final String PREFIX = "lbchannel.channels.orders.service-config";

    @Test
    void leastRequestBlockIsTypedUnderBothNames() {
        assertThat(json("""
                load-balancing-config:
                  - least_request: { choice-count: "3" }
                  - least_request_experimental: { choiceCount: 4 }
                """)).isEqualTo("{\"loadBalancingConfig\":[{\"least_request\":{\"choiceCount\":3}},"
                + "{\"least_request_experimental\":{\"choiceCount\":4}}]}");
    }

    @Test
    void aChannelStartsWithLeastRequest() {
        RUNNER.withInitializer(Yaml.initializer("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      plaintext: true
                      service-config:
                        load-balancing-config: [ { least_request: { choice-count: 2 } } ]
                """)).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aLeastRequestChoiceCountBelowTwoNamesItsProperty() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config:
                          - least_request:
                              choice-count: 1
                """);
        assertThat(analysis.getDescription()).startsWith("The lbchannel property 'lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].least_request.choice-count' has the value '1'")
                .contains("Invalid service config: loadBalancingConfig[0].least_request.choiceCount must be at least 2,"
                        + " was 1");
        assertThat(analysis.getAction()).startsWith("Correct lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].least_request.choice-count as the reason says.");
    }

    @Test
    void aLeastRequestChoiceCountThatIsNoNumberNamesItsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                PREFIX + ".load-balancing-config[0].least_request_experimental.choice-count=two");
        assertThat(analysis.getDescription()).contains("'" + PREFIX
                + ".load-balancing-config[0].least_request_experimental.choice-count' has the value 'two'")
                .contains("loadBalancingConfig[0].least_request_experimental.choiceCount must be a number");
    }

    @Test
    void aMisspeltLeastRequestFieldIsNamed() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config: [ { least_request: { choice-cuont: 3 } } ]
                """);
        assertThat(analysis.getDescription()).contains("'" + PREFIX
                + ".load-balancing-config[0].least_request.choice-cuont'");
    }

    @Test
    void ringHashBlockIsTypedUnderBothNames() {
        assertThat(json("""
                load-balancing-config:
                  - ring_hash: { min-ring-size: 512, max-ring-size: "2048", request-hash-header: x-user-id }
                  - ring_hash_experimental: {}
                """)).isEqualTo("{\"loadBalancingConfig\":[{\"ring_hash\":{\"minRingSize\":512,\"maxRingSize\":2048,"
                + "\"requestHashHeader\":\"x-user-id\"}},{\"ring_hash_experimental\":{}}]}");
    }

    @Test
    void aChannelStartsWithRingHash() {
        RUNNER.withInitializer(Yaml.initializer("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1,127.0.0.1:2
                      plaintext: true
                      service-config:
                        load-balancing-config: [ { ring_hash: { request-hash-header: x-user-id } } ]
                """)).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aRingSizeAboveTheLimitNamesItsProperty() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config:
                          - ring_hash:
                              max-ring-size: 10000000
                """);
        assertThat(analysis.getDescription()).startsWith("The lbchannel property 'lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].ring_hash.max-ring-size' has the value '10000000'")
                .contains("Invalid service config: loadBalancingConfig[0].ring_hash.maxRingSize must be a whole number"
                        + " from 1 to 8388608, was 10000000");
        assertThat(analysis.getAction()).startsWith("Correct lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].ring_hash.max-ring-size as the reason says.");
    }

    @Test
    void aMinimumAboveTheMaximumNamesTheMinimum() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config: [ { ring_hash: { min-ring-size: 5000 } } ]
                """);
        assertThat(analysis.getDescription()).contains("'" + PREFIX
                + ".load-balancing-config[0].ring_hash.min-ring-size' has the value '5000'")
                .contains("ring_hash.minRingSize must not be above maxRingSize (4096 by default), was 5000");
    }

    @Test
    void aBinaryRequestHashHeaderNamesItsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                PREFIX + ".load-balancing-config[0].ring_hash.request-hash-header=x-trace-bin");
        assertThat(analysis.getDescription()).contains("'" + PREFIX
                + ".load-balancing-config[0].ring_hash.request-hash-header' has the value 'x-trace-bin'")
                .contains("ring_hash.requestHashHeader must not name a binary (-bin) header, was \"x-trace-bin\"");
    }

    @Test
    void weightedRoundRobinBlockIsTyped() {
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
    void aChannelStartsWithWeightedRoundRobin() {
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
    void aNegativeErrorUtilizationPenaltyNamesItsProperty() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config:
                          - weighted_round_robin:
                              error-utilization-penalty: -1
                """);
        assertThat(analysis.getDescription()).startsWith("The lbchannel property 'lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].weighted_round_robin.error-utilization-penalty' has the value '-1'")
                .contains("Invalid service config: loadBalancingConfig[0].weighted_round_robin.errorUtilizationPenalty"
                        + " must be 0 or more, was -1");
        assertThat(analysis.getAction()).startsWith("Correct lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].weighted_round_robin.error-utilization-penalty as the reason says.");
    }

    @Test
    void aBadBlackoutPeriodNamesItsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                PREFIX + ".load-balancing-config[0].weighted_round_robin.blackout-period=soon");
        assertThat(analysis.getDescription()).contains("'" + PREFIX
                + ".load-balancing-config[0].weighted_round_robin.blackout-period' has the value 'soon'");
    }

    @Test
    void aMisspeltWeightedRoundRobinFieldIsNamed() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                PREFIX + ".load-balancing-config[0].weighted_round_robin.blackout-perod=5s");
        assertThat(analysis.getDescription()).contains("'" + PREFIX
                + ".load-balancing-config[0].weighted_round_robin.blackout-perod'");
    }

    @Test
    void randomSubsettingBlockIsTypedUnderBothNamesWithItsChildsBlock() {
        assertThat(json("""
                load-balancing-config:
                  - random_subsetting:
                      subset-size: "20"
                      child-policy: [ { least_request: { choice-count: 3 } } ]
                  - random_subsetting_experimental: { subsetSize: 5, childPolicy: [ { round_robin: {} } ] }
                """)).isEqualTo("{\"loadBalancingConfig\":[{\"random_subsetting\":{\"subsetSize\":20,"
                + "\"childPolicy\":[{\"least_request\":{\"choiceCount\":3}}]}},"
                + "{\"random_subsetting_experimental\":{\"subsetSize\":5,\"childPolicy\":[{\"round_robin\":{}}]}}]}");
    }

    @Test
    void aChannelStartsWithRandomSubsetting() {
        RUNNER.withInitializer(Yaml.initializer("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1,127.0.0.1:2,127.0.0.1:3
                      plaintext: true
                      service-config:
                        load-balancing-config:
                          - random_subsetting: { subset-size: 2, child-policy: [ { round_robin: {} } ] }
                """)).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aSubsetSizeOfZeroNamesItsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                PREFIX + ".load-balancing-config[0].random_subsetting.subset-size=0",
                PREFIX + ".load-balancing-config[0].random_subsetting.child-policy[0].round_robin.slow-start-config"
                        + ".slow-start-window=10s");
        assertThat(analysis.getDescription()).startsWith("The lbchannel property '" + PREFIX
                + ".load-balancing-config[0].random_subsetting.subset-size' has the value '0'")
                .contains("loadBalancingConfig[0].random_subsetting.subsetSize must be greater than 0");
    }

    @Test
    void peakEwmaBlockIsTyped() {
        assertThat(json("""
                load-balancing-config:
                  - peak_ewma: { decay-time: 5s, choice-count: "3", penalty-latency: 500ms }
                """)).isEqualTo("{\"loadBalancingConfig\":[{\"peak_ewma\":{\"decayTime\":\"5s\",\"choiceCount\":3,"
                + "\"penaltyLatency\":\"0.500s\"}}]}");
    }

    @Test
    void aZeroDecayTimeNamesItsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                PREFIX + ".load-balancing-config[0].peak_ewma.decay-time=0s");
        assertThat(analysis.getDescription()).startsWith("The lbchannel property '" + PREFIX
                + ".load-balancing-config[0].peak_ewma.decay-time' has the value '0s'")
                .contains("loadBalancingConfig[0].peak_ewma.decayTime must be greater than 0s");
    }

    @Test
    void slowStartBlocksAreTypedInEachPolicy() {
        assertThat(json("""
                load-balancing-config:
                  - round_robin: { slow-start-config: { slow-start-window: 30s } }
                  - least_request: { slow-start-config: { slow-start-window: 1m, aggression: "2", min-weight-percent: 5 } }
                  - weighted_round_robin: { slowStartConfig: { slowStartWindow: 2.5s } }
                """)).isEqualTo("{\"loadBalancingConfig\":[{\"round_robin\":{\"slowStartConfig\":{\"slowStartWindow\":\"30s\"}}},"
                + "{\"least_request\":{\"slowStartConfig\":{\"slowStartWindow\":\"60s\",\"aggression\":2,"
                + "\"minWeightPercent\":5}}},"
                + "{\"weighted_round_robin\":{\"slowStartConfig\":{\"slowStartWindow\":\"2.500s\"}}}]}");
    }

    @Test
    void aMinWeightPercentAboveAHundredNamesItsProperty() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config:
                          - round_robin:
                              slow-start-config: { slow-start-window: 10s, min-weight-percent: 150 }
                """);
        assertThat(analysis.getDescription()).startsWith("The lbchannel property '" + PREFIX
                + ".load-balancing-config[0].round_robin.slow-start-config.min-weight-percent' has the value '150'")
                .contains("loadBalancingConfig[0].round_robin.slowStartConfig.minWeightPercent must be a percentage"
                        + " from 0 to 100, was 150");
        assertThat(analysis.getAction()).startsWith("Correct " + PREFIX
                + ".load-balancing-config[0].round_robin.slow-start-config.min-weight-percent as the reason says.");
    }

    private static String json(String yaml) {
        String indented = ("\n" + yaml).replace("\n", "\n        ");
        return Json.write(ServiceConfigYaml.convert(
                Yaml.bindMap("lbchannel:\n  channels:\n    orders:\n      service-config:" + indented, PREFIX),
                PREFIX).json());
    }

    private static FailureAnalysis analyze(String... properties) {
        return analyze(RUNNER.withPropertyValues(properties));
    }

    private static FailureAnalysis analyzeYaml(String yaml) {
        return analyze(RUNNER.withInitializer(Yaml.initializer(yaml)));
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
