package dev.lbchannel.orca;

import com.google.protobuf.ByteString;
import io.grpc.xds.shaded.com.github.xds.service.orca.v3.OrcaLoadReportRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-written ORCA codec against the messages grpc-java's {@code grpc-xds} generates from
 * the same protos: every field both ways, byte for byte where protobuf's output is fixed, and
 * malformed input rejected.
 */
@Timeout(10)
class OrcaMessagesTests {

    private static io.grpc.xds.shaded.com.github.xds.data.orca.v3.OrcaLoadReport generatedFull() {
        return io.grpc.xds.shaded.com.github.xds.data.orca.v3.OrcaLoadReport.newBuilder()
                .setCpuUtilization(0.75).setMemUtilization(0.5).setApplicationUtilization(1.25)
                .setRpsFractional(123.5).setEps(2.25).setRps(99)
                .putRequestCost("db", 3.5).putRequestCost("", 0)
                .putUtilization("gpu", 0.125)
                .putNamedMetrics("queue", 17).putNamedMetrics("a.b", -1)
                .build();
    }

    @Test
    void readsEveryFieldOfAGeneratedReport() {
        OrcaLoadReport report = OrcaMessages.parseReport(generatedFull().toByteArray());

        assertThat(report.cpuUtilization()).isEqualTo(0.75);
        assertThat(report.memUtilization()).isEqualTo(0.5);
        assertThat(report.applicationUtilization()).isEqualTo(1.25);
        assertThat(report.qps()).isEqualTo(123.5);
        assertThat(report.eps()).isEqualTo(2.25);
        assertThat(report.requestCost()).containsOnly(
                org.assertj.core.api.Assertions.entry("db", 3.5), org.assertj.core.api.Assertions.entry("", 0.0));
        assertThat(report.utilization()).containsExactly(org.assertj.core.api.Assertions.entry("gpu", 0.125));
        assertThat(report.namedMetrics()).containsOnly(
                org.assertj.core.api.Assertions.entry("queue", 17.0), org.assertj.core.api.Assertions.entry("a.b", -1.0));
    }

    @Test
    void writesWhatTheGeneratedParserReadsBack() throws Exception {
        var generated = generatedFull().toBuilder().clearRps().build();
        OrcaLoadReport ours = OrcaMessages.parseReport(generated.toByteArray());

        var readBack = io.grpc.xds.shaded.com.github.xds.data.orca.v3.OrcaLoadReport.parseFrom(
                OrcaMessages.encodeReport(ours));

        assertThat(readBack).isEqualTo(generated);
    }

    @Test
    void writesScalarFieldsByteForByte() {
        var generated = io.grpc.xds.shaded.com.github.xds.data.orca.v3.OrcaLoadReport.newBuilder()
                .setCpuUtilization(0.3).setRpsFractional(10).setEps(0.5).setApplicationUtilization(0.9)
                .putNamedMetrics("only", 4).build();
        OrcaLoadReport ours = OrcaLoadReport.builder().cpuUtilization(0.3).qps(10).eps(0.5)
                .applicationUtilization(0.9).namedMetric("only", 4).build();

        assertThat(OrcaMessages.encodeReport(ours)).isEqualTo(generated.toByteArray());
        assertThat(OrcaMessages.encodeReport(OrcaLoadReport.EMPTY)).isEmpty();
    }

    @Test
    void skipsUnknownFieldsAndLetsTheLastOfARepeatedOneWin() {
        byte[] one = io.grpc.xds.shaded.com.github.xds.data.orca.v3.OrcaLoadReport.newBuilder()
                .setCpuUtilization(0.1).build().toByteArray();
        byte[] two = io.grpc.xds.shaded.com.github.xds.data.orca.v3.OrcaLoadReport.newBuilder()
                .setCpuUtilization(0.2).build().toByteArray();
        // Field 15 as a varint, then a length-delimited field 16: unknown to this version.
        byte[] unknown = {(byte) 0x78, 5, (byte) 0x82, 1, 2, 'h', 'i'};
        byte[] all = concat(one, unknown, two);

        assertThat(OrcaMessages.parseReport(all).cpuUtilization()).isEqualTo(0.2);
    }

    @Test
    void requestMatchesTheGeneratedOneByteForByte() {
        for (Duration interval : new Duration[] {Duration.ofSeconds(10), Duration.ofMillis(1500),
                Duration.ofNanos(250), Duration.ZERO}) {
            byte[] generated = OrcaLoadReportRequest.newBuilder()
                    .setReportInterval(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(interval.getSeconds()).setNanos(interval.getNano()))
                    .build().toByteArray();

            assertThat(OrcaMessages.request(interval)).as("%s", interval).isEqualTo(generated);
        }
    }

    @Test
    void rejectsMalformedReports() {
        byte[] full = generatedFull().toByteArray();
        for (int cut = 1; cut < full.length; cut++) {
            byte[] truncated = Arrays.copyOf(full, cut);
            try {
                OrcaMessages.parseReport(truncated);   // a cut between fields is a valid shorter message
            } catch (IllegalArgumentException expected) {
                assertThat(expected).hasMessageStartingWith("ORCA load report ");
            }
        }
        assertThatThrownBy(() -> OrcaMessages.parseReport(new byte[] {0x09, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ORCA load report ends inside a field");
        assertThatThrownBy(() -> OrcaMessages.parseReport(new byte[] {0x00}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field numbered 0");
        assertThatThrownBy(() -> OrcaMessages.parseReport(new byte[] {0x0B}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wire type 3");
    }

    @Test
    void readsTheReportInTrailersAndIgnoresABrokenOne() {
        io.grpc.Metadata trailers = new io.grpc.Metadata();
        assertThat(OrcaPerCallReports.fromTrailers(trailers)).isNull();

        trailers.put(OrcaPerCallReports.TRAILER, generatedFull().toByteArray());
        assertThat(OrcaPerCallReports.fromTrailers(trailers).qps()).isEqualTo(123.5);

        io.grpc.Metadata broken = new io.grpc.Metadata();
        broken.put(OrcaPerCallReports.TRAILER, ByteString.copyFromUtf8("\u0009xx").toByteArray());
        assertThat(OrcaPerCallReports.fromTrailers(broken)).isNull();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
