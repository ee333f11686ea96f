package dev.lbchannel.benchmarks.scenario;

import io.grpc.Status;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(10)
class RunResultTests {

    private static final PolicyRun RUN = PolicyRun.lbchannel("round_robin", "round_robin", "{}");

    @Test
    void percentilesAreOfSuccessfulCallsInMillisecondsAndFailuresCountAsCalls() {
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (int i = 1; i <= 1000; i++) {
            all.recordValue(TimeUnit.MICROSECONDS.toNanos(i * 10L)); // 0.01 ms … 10 ms
        }
        Histogram before = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        before.recordValue(TimeUnit.MILLISECONDS.toNanos(2));

        RunResult r = RunResult.measured(Scenario.SLOW, RUN, all, before, 10, 2.0, new BackendTimeline(4, 2, 0), 0.5);

        assertThat(r.calls()).isEqualTo(1010);
        assertThat(r.callsPerSecond()).isEqualTo(505);
        assertThat(r.p50()).isCloseTo(5.0, within(0.01));
        assertThat(r.p99()).isCloseTo(9.9, within(0.01));
        assertThat(r.p999()).isCloseTo(9.99, within(0.01));
        assertThat(r.p99BeforeEvent()).isCloseTo(2.0, within(0.01));
    }

    @Test
    void aSkippedRunSaysWhyAndHasNoFigures() {
        RunResult r = RunResult.skipped(Scenario.COLD, RUN, "not known");

        assertThat(r.wasSkipped()).isTrue();
        assertThat(r.p99()).isNaN();
        assertThat(r.line()).contains("skipped: not known");
    }

    @Test
    void aBackendsFailureNamesTheBackend() {
        assertThat(ScenarioLoop.failedBackend(Status.UNAVAILABLE.withDescription("backend 3").asRuntimeException()))
                .isEqualTo(3);
        assertThat(ScenarioLoop.failedBackend(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException()))
                .isEqualTo(-1);
    }
}
