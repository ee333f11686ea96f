package dev.lbchannel.benchmarks.scenario;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ScenarioReportTests {

    @Test
    void timelineCsvHasOneRowPerSecondAndBackend() {
        BackendTimeline t = new BackendTimeline(2, 2, 0);
        t.record(100, 1, true);
        t.record(200, 1, false);
        Histogram h = new Histogram(3);
        h.recordValue(1);
        RunResult r = RunResult.measured(Scenario.SLOW, PolicyRun.grpcJava("grpc-java round_robin", "round_robin", "{}"),
                h, h, 1, 2, t, 0);

        String csv = ScenarioReport.timelineCsv(List.of(r));

        assertThat(csv.lines()).containsExactly("policy,client,second,backend,calls,failures",
                "\"grpc-java round_robin\",grpc-java,0,0,0,0",
                "\"grpc-java round_robin\",grpc-java,0,1,2,1",
                "\"grpc-java round_robin\",grpc-java,1,0,0,0",
                "\"grpc-java round_robin\",grpc-java,1,1,0,0");
    }
}
