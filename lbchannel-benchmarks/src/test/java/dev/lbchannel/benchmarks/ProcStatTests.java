package dev.lbchannel.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The client's wake-ups over a window: per thread, so threads that come and go never make it negative. */
@Timeout(10)
class ProcStatTests {

    @Test
    void threadsAliveAtBothEndsCountTheirDifference() {
        assertThat(ProcStat.switchesBetween(Map.of(1L, 10L, 2L, 5L), Map.of(1L, 15L, 2L, 7L))).isEqualTo(7);
    }

    @Test
    void aThreadThatEndedInsideTheWindowIsLeftOutNotSubtracted() {
        // Summing the live threads at each end gave 3 - (1000 + 1) = -998 here.
        assertThat(ProcStat.switchesBetween(Map.of(1L, 1L, 2L, 1000L), Map.of(1L, 3L))).isEqualTo(2);
    }

    @Test
    void aThreadStartedInsideTheWindowCountsWhole() {
        assertThat(ProcStat.switchesBetween(Map.of(1L, 1L), Map.of(1L, 1L, 3L, 4L))).isEqualTo(4);
    }

    @Test
    void aReusedThreadIdWithASmallerCountIsANewThread() {
        assertThat(ProcStat.switchesBetween(Map.of(7L, 500L), Map.of(7L, 3L))).isEqualTo(3);
    }

    @Test
    void thisProcessHasReadableCounts() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc here");
        Map<Long, Long> counts = ProcStat.voluntarySwitchesByThread(ProcessHandle.current().pid());
        assertThat(counts).isNotNull().isNotEmpty();
        assertThat(counts.values()).allMatch(c -> c >= 0);
    }
}
