package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code weighted_round_robin} block: A58's defaults, every field, and errors that name the field. */
@Timeout(10)
class WrrConfigTests {

    private static WeightedRoundRobinConfig parse(String json) {
        @SuppressWarnings("unchecked")
        Map<String, ?> raw = (Map<String, ?>) Json.parse(json);
        return (WeightedRoundRobinConfig) BalancerRegistry.builtIns().require("weighted_round_robin").parseConfig(raw);
    }

    @Test
    void anEmptyBlockTakesA58sDefaults() {
        WeightedRoundRobinConfig config = parse("{}");

        assertThat(config).isEqualTo(WeightedRoundRobinConfig.DEFAULT);
        assertThat(config.blackoutPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.weightExpirationPeriod()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.weightUpdatePeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.errorUtilizationPenalty()).isEqualTo(1.0f);
        assertThat(config.enableOobLoadReport()).isFalse();
        assertThat(config.oobReportingPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.metricNamesForComputingUtilization()).isEmpty();
    }

    @Test
    void readsEveryField() {
        WeightedRoundRobinConfig config = parse("""
                {"blackoutPeriod": "0s", "weightExpirationPeriod": "60s", "weightUpdatePeriod": "0.5s",
                 "errorUtilizationPenalty": 2.5, "enableOobLoadReport": true, "oobReportingPeriod": "1.5s",
                 "metricNamesForComputingUtilization": ["named_metrics.queue", "cpu_utilization"],
                 "someFutureField": 1}""");

        assertThat(config).isEqualTo(new WeightedRoundRobinConfig(Duration.ZERO, Duration.ofSeconds(60),
                Duration.ofMillis(500), 2.5f, true, Duration.ofMillis(1500),
                List.of("named_metrics.queue", "cpu_utilization")));
    }

    @Test
    void aWeightUpdatePeriodUnder100msIsTakenAs100ms() {
        assertThat(parse("{\"weightUpdatePeriod\": \"0.01s\"}").weightUpdatePeriod()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void yamlTextForNumbersAndBooleansIsAccepted() {
        WeightedRoundRobinConfig config = parse("{\"errorUtilizationPenalty\": \"0\", \"enableOobLoadReport\": \"true\"}");

        assertThat(config.errorUtilizationPenalty()).isZero();
        assertThat(config.enableOobLoadReport()).isTrue();
    }

    @Test
    void badValuesNameTheField() {
        assertThatThrownBy(() -> parse("{\"errorUtilizationPenalty\": -0.5}"))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessageContaining("errorUtilizationPenalty must be 0 or more, was -0.5");
        assertThatThrownBy(() -> parse("{\"errorUtilizationPenalty\": \"lots\"}"))
                .hasMessageContaining("errorUtilizationPenalty must be a number, was \"lots\"");
        assertThatThrownBy(() -> parse("{\"blackoutPeriod\": \"-1s\"}"))
                .hasMessageContaining("blackoutPeriod must not be negative, was \"-1s\"");
        assertThatThrownBy(() -> parse("{\"weightExpirationPeriod\": \"3 minutes\"}"))
                .hasMessageContaining("weightExpirationPeriod must be a duration");
        assertThatThrownBy(() -> parse("{\"oobReportingPeriod\": 10}"))
                .hasMessageContaining("oobReportingPeriod must be a duration string");
        assertThatThrownBy(() -> parse("{\"enableOobLoadReport\": \"yes\"}"))
                .hasMessageContaining("enableOobLoadReport must be true or false, was \"yes\"");
        assertThatThrownBy(() -> parse("{\"metricNamesForComputingUtilization\": [\"cpu_utilization\", 3]}"))
                .hasMessageContaining("metricNamesForComputingUtilization[1] must be a string");
    }

    @Test
    void theChannelNamesThePolicyInTheErrorPath() {
        assertThatThrownBy(() -> dev.lbchannel.LbChannelBuilder.forTarget("static:///127.0.0.1:1")
                .usePlaintext()
                .defaultServiceConfig(Map.of("loadBalancingConfig",
                        List.of(Map.of("weighted_round_robin", Map.of("errorUtilizationPenalty", -1.0)))))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loadBalancingConfig[0].weighted_round_robin.errorUtilizationPenalty must be 0 or more");
    }
}
