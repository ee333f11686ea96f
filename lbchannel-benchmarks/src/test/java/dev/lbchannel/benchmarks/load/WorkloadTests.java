package dev.lbchannel.benchmarks.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Workload specs and titles: BENCHMARKS.md's sections are keyed by them, so they must not drift. */
@Timeout(10)
class WorkloadTests {

    @Test
    void bidiSpecRoundTrips() {
        Workload bidi = Workload.parse("bidi:16:16:100");

        assertThat(bidi).isEqualTo(Workload.bidi(16, 16, 100));
        assertThat(bidi.shape()).isEqualTo(Workload.Shape.BIDI);
        assertThat(bidi.spec()).isEqualTo("bidi:16:16:100");
        assertThat(bidi.title()).isEqualTo("Bidi streaming (ping-pong), 16 streams, 100 × 16 B each way per call");
        assertThat(bidi.unit()).isEqualTo("msg");
    }

    @Test
    void unaryAndServerStreamingSpecsAndTitlesAreUnchanged() {
        assertThat(Workload.parse("unary:64:16").spec()).isEqualTo("unary:64:16");
        assertThat(Workload.parse("unary:64:16").title()).isEqualTo("Unary, concurrency 64, 16 B each way");
        assertThat(Workload.parse("unary:1:1024").title()).isEqualTo("Unary, concurrency 1, 1 KiB each way");
        assertThat(Workload.parse("unary:64:16").unit()).isEqualTo("call");
        Workload stream = Workload.parse("stream:16:16:100");
        assertThat(stream).isEqualTo(Workload.serverStreaming(16, 16, 100));
        assertThat(stream.spec()).isEqualTo("stream:16:16:100");
        assertThat(stream.title()).isEqualTo("Server streaming, 16 streams, 100 × 16 B per call");
        assertThat(stream.unit()).isEqualTo("msg");
    }

    @Test
    void shapesWithTheSameNumbersAreDifferentWorkloads() {
        assertThat(Workload.bidi(16, 16, 100)).isNotEqualTo(Workload.serverStreaming(16, 16, 100));
    }

    @Test
    void badSpecNamesAllThreeForms() {
        assertThatIllegalArgumentException().isThrownBy(() -> Workload.parse("bidi:16:16"))
                .withMessageContaining("'bidi:16:16'")
                .withMessageContaining("unary:CONCURRENCY:BYTES")
                .withMessageContaining("stream:CONCURRENCY:BYTES:MESSAGES")
                .withMessageContaining("bidi:CONCURRENCY:BYTES:MESSAGES");
        assertThatIllegalArgumentException().isThrownBy(() -> Workload.parse("bidi:x:16:100"))
                .withMessageContaining("bidi:CONCURRENCY:BYTES:MESSAGES");
    }

    @Test
    void aCallWithoutMessagesIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Workload.parse("bidi:16:16:0"))
                .withMessageContaining("0 messages per call");
    }

    @Test
    void theDefaultWorkloadsMeasureBidiRightAfterServerStreaming() {
        HarnessOptions options = HarnessOptions.parse(new String[0]);

        int stream = options.workloads.indexOf(Workload.serverStreaming(16, 16, 100));
        assertThat(stream).isNotNegative();
        assertThat(options.workloads.get(stream + 1)).isEqualTo(Workload.bidi(16, 16, 100));
    }

    @Test
    void theCommandLineTakesABidiWorkload() {
        HarnessOptions options = HarnessOptions.parse(new String[] {"--workloads", "stream:16:16:100,bidi:4:1024:10"});

        assertThat(options.workloads).containsExactly(Workload.serverStreaming(16, 16, 100), Workload.bidi(4, 1024, 10));
    }
}
