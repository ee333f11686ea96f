package dev.lbchannel.benchmarks.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class RunListTests {

    private static final Scenario.Timing TIMING = new Scenario.Timing(1_000, 6_000);

    @Test
    void everyScenarioComparesBothLibraries() {
        for (Scenario scenario : Scenario.values()) {
            List<String> labels = RunList.forScenario(scenario, TIMING).stream().map(PolicyRun::label).toList();

            assertThat(labels).contains("round_robin", "least_request", "weighted_round_robin", "peak_ewma",
                    "grpc-java round_robin", "grpc-java least_request_experimental");
        }
    }

    @Test
    void slowStartRunsProbeForTheBlockAndSpanTwiceTheColdBackendsWarmUp() {
        List<PolicyRun> slowStart = RunList.forScenario(Scenario.COLD, TIMING).stream()
                .filter(r -> r.label().contains("slowStartConfig")).toList();

        assertThat(slowStart).hasSize(3).allSatisfy(r -> {
            assertThat(r.probe()).contains("slowStartConfig");
            assertThat(r.configJson()).contains("\"slowStartWindow\": \"4.0s\""); // the warm-up is 2 s here
        });
        assertThat(RunList.forScenario(Scenario.SLOW, TIMING)).noneMatch(r -> r.label().contains("slowStart"));
    }

    @Test
    void everyConfigIsValidJsonForAServiceConfig() {
        for (Scenario scenario : Scenario.values()) {
            for (PolicyRun run : RunList.forScenario(scenario, TIMING)) {
                assertThat(run.serviceConfig()).containsKey("loadBalancingConfig");
            }
        }
    }
}
