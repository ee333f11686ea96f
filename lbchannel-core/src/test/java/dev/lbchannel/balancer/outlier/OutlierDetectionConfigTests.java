package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.outlier.OutlierDetectionConfig.FailurePercentageEjection;
import dev.lbchannel.balancer.outlier.OutlierDetectionConfig.SuccessRateEjection;
import dev.lbchannel.balancer.roundrobin.RoundRobinBalancerProvider;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.Json;
import dev.lbchannel.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code outlier_detection} block: A50's defaults, its validation, and errors that say where and what. */
@Timeout(10)
class OutlierDetectionConfigTests {

    private static OutlierDetectionConfig parse(String json) {
        return (OutlierDetectionConfig) ServiceConfig.parseJson(
                "{\"loadBalancingConfig\": [{\"outlier_detection\": " + json + "}]}", BalancerRegistry.builtIns())
                .lbPolicy().config();
    }

    @Test
    void defaultsAreA50s() {
        OutlierDetectionConfig config = parse("""
                {"successRateEjection": {}, "failurePercentageEjection": {}, "childPolicy": [{"round_robin": {}}]}""");
        assertThat(config.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.baseEjectionTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxEjectionTime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.maxEjectionPercent()).isEqualTo(10);
        assertThat(config.successRateEjection()).isEqualTo(new SuccessRateEjection(1900, 100, 5, 100));
        assertThat(config.failurePercentageEjection()).isEqualTo(new FailurePercentageEjection(85, 100, 5, 50));
        assertThat(config.childPolicy()).isInstanceOf(RoundRobinBalancerProvider.class);
        assertThat(config.detects()).isTrue();
    }

    @Test
    void withoutAlgorithmsItOnlyPassesThrough() {
        OutlierDetectionConfig config = parse("{\"childPolicy\": [{\"unknown\": {}}, {\"pick_first\": {}}]}");
        assertThat(config.detects()).isFalse();
        assertThat(config.childPolicy().policyName()).isEqualTo("pick_first");
    }

    @Test
    void everyFieldIsRead() {
        OutlierDetectionConfig config = parse("""
                {"interval": "0.5s", "baseEjectionTime": "2s", "maxEjectionTime": "20s", "maxEjectionPercent": 40,
                 "successRateEjection": {"stdevFactor": 1000, "enforcementPercentage": 50, "minimumHosts": 3,
                                         "requestVolume": 10},
                 "failurePercentageEjection": {"threshold": 50, "enforcementPercentage": "70", "minimumHosts": 2,
                                               "requestVolume": 5},
                 "childPolicy": [{"round_robin": {}}]}""");
        assertThat(config.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxEjectionPercent()).isEqualTo(40);
        assertThat(config.successRateEjection()).isEqualTo(new SuccessRateEjection(1000, 50, 3, 10));
        assertThat(config.failurePercentageEjection()).isEqualTo(new FailurePercentageEjection(50, 70, 2, 5));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"maxEjectionPercent": 150}  | maxEjectionPercent | must be a percentage from 0 to 100, was 150
            {"maxEjectionPercent": -1}   | maxEjectionPercent | must be a whole number of 0 or more, was -1
            {"interval": "-1s"}          | interval | must not be negative, was "-1s"
            {"interval": "0s"}           | interval | must be greater than 0s, was "0s"
            {"baseEjectionTime": "30"}   | baseEjectionTime | must be a duration such as "10s" or "0.5s", was "30"
            {"failurePercentageEjection": {"threshold": 101}} | failurePercentageEjection.threshold | must be a percentage from 0 to 100, was 101
            {"successRateEjection": {"enforcementPercentage": 1.5}} | successRateEjection.enforcementPercentage | must be a whole number of 0 or more, was 1.5
            {"successRateEjection": {"minimumHosts": "many"}} | successRateEjection.minimumHosts | must be a whole number, was "many"
            {"successRateEjection": true} | successRateEjection | must be an object (use {} for the defaults), was true
            """)
    void invalidValuesNameTheFieldAndTheRule(String fields, String field, String rule) {
        String json = fields.substring(0, fields.length() - 1) + ", \"childPolicy\": [{\"round_robin\": {}}]}";
        String path = "loadBalancingConfig[0].outlier_detection." + field;
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessage("Invalid service config: " + path + " " + rule)
                .extracting(e -> ((InvalidServiceConfigException) e).path())
                .isEqualTo(path);
    }

    @Test
    void childPolicyIsRequired() {
        assertThatThrownBy(() -> parse("{\"failurePercentageEjection\": {}}"))
                .hasMessage("Invalid service config: loadBalancingConfig[0].outlier_detection.childPolicy is required:"
                        + " the policy to wrap, such as [{\"round_robin\": {}}]");
    }

    @Test
    void childPolicyErrorsCarryTheFullPath() {
        assertThatThrownBy(() -> parse("{\"childPolicy\": [{\"round_robbin\": {}}]}"))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessageStartingWith("Invalid service config: loadBalancingConfig[0].outlier_detection.childPolicy"
                        + " names no registered policy, was [\"round_robbin\"]; registered policies:")
                .extracting(e -> ((InvalidServiceConfigException) e).path())
                .isEqualTo("loadBalancingConfig[0].outlier_detection.childPolicy");
        assertThatThrownBy(() -> parse("{\"childPolicy\": [{\"pick_first\": {\"shuffleAddressList\": 1}}]}"))
                .hasMessage("Invalid service config: loadBalancingConfig[0].outlier_detection.childPolicy[0].pick_first:"
                        + " pick_first.shuffleAddressList must be a boolean, was '1.0'");
    }

    @Test
    void theProviderAloneParsesAgainstTheBuiltIns() {
        Object config = new OutlierDetectionBalancerProvider().parseConfig(
                Json.parseObject("{\"childPolicy\": [{\"round_robin\": {}}]}"));
        assertThat(config).isInstanceOf(OutlierDetectionConfig.class);
    }
}
