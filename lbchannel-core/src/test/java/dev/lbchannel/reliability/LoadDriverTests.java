package dev.lbchannel.reliability;

import dev.lbchannel.testing.RefusedPort;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LoadDriver} and {@link LoadReport}: calls at a rate, each recorded, summed up right. */
@Timeout(60)
class LoadDriverTests {

    private TestBackend backend;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void makesRateTimesDurationCallsAndRecordsWhoServedThem() {
        backend = TestBackend.plaintext();
        channel = channelTo(backend.address());
        String served = "127.0.0.1:" + backend.port();

        LoadReport report;
        try (LoadDriver load = LoadDriver.on(channel).rate(200).duration(Duration.ofSeconds(1)).start()) {
            report = load.awaitReport();
        }

        assertThat(report.calls()).isEqualTo(200);
        assertThat(report.countsByCode()).isEqualTo(Map.of(Status.Code.OK, 200));
        assertThat(report.servedBy()).isEqualTo(Map.of(served, 200));
        assertThat(report.failures()).isEmpty();
        assertThat(report.latency(0.5)).isPositive().isLessThanOrEqualTo(report.latency(0.99));
        assertThat(report.summary()).startsWith("200 calls started over").contains("OK 200");
        assertThat(backend.callsStarted()).isEqualTo(200);
    }

    @Test
    void sendsTheRequestGiven() {
        backend = TestBackend.plaintext();
        channel = channelTo(backend.address());
        SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(10).build();

        try (LoadDriver load = LoadDriver.on(channel).call(TestServiceGrpc.getUnaryCallMethod(), request).rate(50)
                .duration(Duration.ofSeconds(1)).start()) {
            assertThat(load.awaitReport().succeeded()).isEqualTo(50);
        }
    }

    @Test
    void recordsFailuresWithTheirStartTimes() {
        try (RefusedPort refused = new RefusedPort()) {
            channel = channelTo(refused.address());
            LoadReport report;
            long halfway;
            try (LoadDriver load = LoadDriver.on(channel).rate(100).duration(Duration.ofSeconds(1)).start()) {
                load.awaitElapsed(Duration.ofMillis(500));
                halfway = System.nanoTime();
                report = load.awaitReport();
            }

            assertThat(report.countsByCode()).isEqualTo(Map.of(Status.Code.UNAVAILABLE, 100));
            assertThat(report.failures()).hasSize(100);
            assertThat(report.failuresStartedAfter(halfway)).hasSizeBetween(1, 50)
                    .allSatisfy(f -> assertThat(f.startedAt()).isGreaterThan(report.at(halfway)));
            assertThat(report.servedBy()).isEmpty();
        }
    }

    @Test
    void reportCountsCallsOpenDuringAWindowAndTakesPercentiles() {
        // Calls i = 0..9 start at 10·i ns and last 5 ns, except call 4, which lasts 100 ns and fails.
        long[] start = new long[10];
        long[] end = new long[10];
        Status[] status = new Status[10];
        String[] servedBy = new String[10];
        for (int i = 0; i < 10; i++) {
            start[i] = 1000 + 10L * i;
            end[i] = start[i] + (i == 4 ? 100 : 5);
            status[i] = i == 4 ? Status.UNAVAILABLE : Status.OK;
            servedBy[i] = i == 4 ? null : "b" + (i % 2);
        }
        LoadReport report = new LoadReport(1000, 10, 10, start, end, status, servedBy);

        assertThat(report.inFlightDuring(1062, 1063)).as("call 6 and the long call 4").isEqualTo(2);
        assertThat(report.inFlightDuring(1006, 1009)).as("none between calls 0 and 1").isZero();
        assertThat(report.inFlightDuring(1000, 1000)).isEqualTo(1);
        assertThat(report.inFlightDuring(1062, 1063, "b0")).as("call 6 (b0) and call 4 (no headers)").isEqualTo(2);
        assertThat(report.inFlightDuring(1062, 1063, "b1")).as("call 4 only").isEqualTo(1);
        assertThat(report.failuresStartedAfter(1039)).singleElement()
                .satisfies(f -> assertThat(f.index()).isEqualTo(4))
                .satisfies(f -> assertThat(f.startedAt()).isEqualTo(Duration.ofNanos(40)))
                .satisfies(f -> assertThat(f.latency()).isEqualTo(Duration.ofNanos(100)));
        assertThat(report.failuresStartedAfter(1040)).isEmpty();
        assertThat(report.latency(0.5)).isEqualTo(Duration.ofNanos(5));
        assertThat(report.latency(0.9)).isEqualTo(Duration.ofNanos(5));
        assertThat(report.latency(0.99)).isEqualTo(Duration.ofNanos(100));
        assertThat(report.servedBy()).isEqualTo(Map.of("b0", 4, "b1", 5));
        assertThat(report.servedAfter("b0", 1050)).as("calls 6 and 8").isEqualTo(2);
        assertThat(report.countsByCode()).isEqualTo(Map.of(Status.Code.OK, 9, Status.Code.UNAVAILABLE, 1));
    }

    private static ManagedChannel channelTo(InetSocketAddress address) {
        return NettyChannelBuilder.forAddress(address).usePlaintext().build();
    }
}
