package dev.lbchannel.benchmarks.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(10)
class BackendTimelineTests {

    private static final long ORIGIN = 1_000_000_000L;

    @Test
    void countsCallsInOneSecondBucketsPerBackend() {
        BackendTimeline t = new BackendTimeline(3, 2, ORIGIN);
        t.record(at(0.1), 0, true);
        t.record(at(0.9), 0, true);
        t.record(at(0.5), 2, false);
        t.record(at(1.2), 1, true);

        assertThat(t.calls(0, 0)).isEqualTo(2);
        assertThat(t.calls(0, 2)).isEqualTo(1);
        assertThat(t.failures(0, 2)).isEqualTo(1);
        assertThat(t.calls(1, 1)).isEqualTo(1);
        assertThat(t.share(0, 0)).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(t.share(1, 1)).isEqualTo(1.0);
        assertThat(t.totalShare(0)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void leavesOutCallsOutsideTheRunAndFromUnknownBackends() {
        BackendTimeline t = new BackendTimeline(2, 1, ORIGIN);
        t.record(at(-0.1), 0, true);   // the lead-in
        t.record(at(1.0), 0, true);    // draining after the last bucket
        t.record(at(0.5), -1, false);  // failed by the client, no backend
        t.record(at(0.5), 2, true);    // not a backend of this run

        assertThat(t.calls(0, 0) + t.calls(0, 1)).isZero();
        assertThat(t.share(0, 0)).isZero();
        assertThat(t.totalShare(1)).isZero();
    }

    private static long at(double seconds) {
        return ORIGIN + (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }
}
