package dev.lbchannel.balancer.outlier;

import dev.lbchannel.BackoffPolicy;
import dev.lbchannel.ChannelSnapshot;
import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.DetectionMethod;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.channelz.UnenforcedReason;
import dev.lbchannel.config.Json;
import dev.lbchannel.reliability.LoadDriver;
import dev.lbchannel.reliability.LoadReport;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import io.grpc.ConnectivityState;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code outlier_detection} over {@code round_robin} and five grpc-java backends on loopback, one
 * (or two) of which the test makes fail: ejection after an interval, no calls while ejected, a
 * second chance after the ejection time, the ejection cap, and retries covering the gap.
 */
@Timeout(120)
class OutlierDetectionEndToEndTests {

    private static final BackoffPolicy FAST_BACKOFF = new BackoffPolicy(Duration.ofMillis(50), 1.6, 0.2,
            Duration.ofMillis(500), Duration.ofSeconds(5));
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private final FaultyBackends backends = new FaultyBackends(5);
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.close();
    }

    private void open(String serviceConfig) {
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .defaultServiceConfig(Json.parseObject(serviceConfig)).connectionBackoff(FAST_BACKOFF).build();
        resolver.update(backends.ports());
        channel.getState(true);
        Await.until("5 READY subchannels", BOUND, () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == 5);
    }

    private static String outlierDetection(String fields) {
        return "{\"loadBalancingConfig\": [{\"outlier_detection\": {" + fields
                + ", \"childPolicy\": [{\"round_robin\": {}}]}}]}";
    }

    /** Makes {@code n} fail-fast calls one after another; returns how many failed. */
    private int calls(int n) {
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channel);
        int failed = 0;
        for (int i = 0; i < n; i++) {
            try {
                stub.withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                failed++;
            }
        }
        return failed;
    }

    /** The backends whose subchannels are ejected now. */
    private Set<Integer> ejected() {
        ChannelSnapshot snapshot = channel.snapshot();
        Set<Long> ids = snapshot.ejections().ejectedSubchannels();
        return snapshot.subchannels().stream().filter(s -> ids.contains(s.id()))
                .map(backends::indexOf).collect(Collectors.toSet());
    }

    private void callUntilEjected(int backend) {
        Await.until("backend " + backend + " ejected", BOUND, () -> {
            calls(20);
            return ejected().contains(backend);
        });
    }

    @Test
    void aBackendFailingEveryCallIsEjectedAfterAnIntervalAndThenGetsNoCalls() {
        open(outlierDetection("""
                "interval": "0.3s", "baseEjectionTime": "60s", "maxEjectionPercent": 20,
                "failurePercentageEjection": {"requestVolume": 10}"""));
        backends.failEvery(2, 1);
        callUntilEjected(2);

        int before = backends.received(2);
        assertThat(calls(200)).as("calls failed once the bad backend is out").isZero();
        assertThat(backends.received(2)).isEqualTo(before);
        for (int i : new int[] {0, 1, 3, 4}) {
            assertThat(backends.received(i)).as("backend %d", i).isPositive();
        }
        assertThat(ejected()).containsExactly(2);
        assertThat(channel.snapshot().ejections().enforced(DetectionMethod.FAILURE_PERCENTAGE)).isEqualTo(1);
        assertThat(channel.snapshot().subchannels()).extracting(SubchannelSnapshot::state)
                .containsOnly(ConnectivityState.READY); // the connection stays up
    }

    @Test
    void aBackendFailingHalfItsCallsIsASuccessRateOutlier() {
        open(outlierDetection("""
                "interval": "0.3s", "baseEjectionTime": "60s", "maxEjectionPercent": 20,
                "successRateEjection": {"requestVolume": 10}"""));
        backends.failEvery(4, 2);
        callUntilEjected(4);

        int before = backends.received(4);
        assertThat(calls(100)).isZero();
        assertThat(backends.received(4)).isEqualTo(before);
        assertThat(channel.snapshot().ejections().enforced(DetectionMethod.SUCCESS_RATE)).isEqualTo(1);
    }

    @Test
    void anEjectedBackendIsTriedAgainAfterTheEjectionTimeAndEjectedLongerNextTime() {
        open(outlierDetection("""
                "interval": "0.2s", "baseEjectionTime": "1s", "maxEjectionPercent": 20,
                "failurePercentageEjection": {"requestVolume": 10}"""));
        backends.failEvery(0, 1);
        callUntilEjected(0);
        long ejectedAt = System.nanoTime();
        int before = backends.received(0);

        Await.until("backend 0 tried again", BOUND, () -> {
            calls(10);
            return backends.received(0) > before;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - ejectedAt)).isGreaterThan(Duration.ofMillis(500));
        Await.until("backend 0 ejected a second time", BOUND, () -> {
            calls(20);
            return channel.snapshot().ejections().enforced(DetectionMethod.FAILURE_PERCENTAGE) >= 2;
        });
    }

    @Test
    void neverMoreThanMaxEjectionPercentAreEjected() {
        open(outlierDetection("""
                "interval": "0.2s", "baseEjectionTime": "60s", "maxEjectionPercent": 20,
                "failurePercentageEjection": {"requestVolume": 10, "minimumHosts": 3}"""));
        backends.failEvery(1, 1);
        backends.failEvery(3, 1);
        Await.until("the second bad backend found but left in service", BOUND, () -> {
            calls(20);
            assertThat(ejected()).hasSizeLessThanOrEqualTo(1);
            return channel.snapshot().ejections().unenforced(DetectionMethod.FAILURE_PERCENTAGE,
                    UnenforcedReason.MAX_EJECTION_OVERFLOW) >= 1;
        });
        assertThat(ejected()).hasSize(1).isSubsetOf(1, 3);
    }

    @Test
    void withARetryPolicyABackendThatStartsFailingCostsNoCall() {
        open("""
                {"loadBalancingConfig": [{"outlier_detection": {
                    "interval": "0.25s", "maxEjectionPercent": 20,
                    "failurePercentageEjection": {"threshold": 50, "requestVolume": 10},
                    "childPolicy": [{"round_robin": {}}]}}],
                 "methodConfig": [{"name": [{"service": "grpc.testing.TestService"}],
                    "retryPolicy": {"maxAttempts": 5, "initialBackoff": "0.5s", "maxBackoff": "1s",
                                    "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}}]}""");
        LoadDriver load = LoadDriver.on(channel).rate(300).duration(Duration.ofSeconds(6))
                .deadline(Duration.ofSeconds(10)).start();
        load.awaitElapsed(Duration.ofSeconds(2));
        backends.failEvery(1, 1);
        LoadReport report = load.awaitReport();

        assertThat(report.failures()).as("failed calls of %s", report.calls()).isEmpty();
        assertThat(report.calls()).isEqualTo(1800);
        assertThat(ejected()).containsExactly(1);
    }
}
