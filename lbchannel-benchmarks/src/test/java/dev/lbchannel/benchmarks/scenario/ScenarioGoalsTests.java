package dev.lbchannel.benchmarks.scenario;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ScenarioGoalsTests {

    @Test
    void judgesTheSlowBackendGoalAgainstRoundRobinsP99() {
        List<String> rows = ScenarioGoals.rows(List.of(
                run(Scenario.SLOW, "round_robin", 20, 0),
                run(Scenario.SLOW, "least_request", 8, 0),
                RunResult.skipped(Scenario.SLOW, policy("peak_ewma"), "not known")));

        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| least_request p99").contains("0.40").contains("| met |"));
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| peak_ewma p99").contains("skipped: not known"));
    }

    @Test
    void failuresCountAgainstTheGoalOutsideTheFailingScenarioOnly() {
        List<String> rows = ScenarioGoals.rows(List.of(
                run(Scenario.FAILING, "round_robin", 5, 100),
                run(Scenario.COLD, "least_request", 5, 3)));

        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| failed calls").contains("| 3 |")
                .contains("not met**: cold/least_request"));
    }

    private static RunResult run(Scenario scenario, String label, long p99Millis, long failures) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        h.recordValue(TimeUnit.MILLISECONDS.toNanos(p99Millis));
        return RunResult.measured(scenario, policy(label), h, h, failures, 1, new BackendTimeline(4, 1, 0), 0);
    }

    private static PolicyRun policy(String label) {
        return PolicyRun.lbchannel(label, label, "{}");
    }
}
