package dev.lbchannel.actuate.metrics;

import io.grpc.ClientStreamTracer;
import io.grpc.ClientStreamTracer.StreamInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gRFC A96's per-call retry meters, driven by the tracer events a channel produces for a call's
 * attempts (a new tracer per attempt, with its previous attempts and flags; its stream closing),
 * on a mock clock: which attempts count as retries, transparent retries and hedges, that a call
 * without any records none of them, and that the delay is the time with no attempt in flight.
 */
@Timeout(30)
class RetryMetersTests {

    private static final String METHOD = "orders.v1.Orders/Get";

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final CallMeters meters = new CallMeters(registry, "orders", () -> "static:///10.0.0.7:8443");

    @Test
    void aCallWithOneAttemptRecordsNoRetryMeter() {
        Call call = new Call();
        call.attempt(original()).streamClosed(Status.OK);
        call.end();

        assertThat(registry.get(GrpcMeterNames.ATTEMPT_DURATION).timer().count()).isEqualTo(1);
        assertNoRetryMeters();
    }

    @Test
    void aCallThatEndedBeforeAnyAttemptRecordsNoRetryMeter() {
        new Call().end();

        assertThat(registry.get(GrpcMeterNames.ATTEMPT_STARTED).counter().count()).isEqualTo(1);
        assertNoRetryMeters();
    }

    @Test
    void retriesAreRecordedOncePerCallAsTheirNumber() {
        Call twice = new Call();
        twice.attempt(original()).streamClosed(Status.UNAVAILABLE);
        twice.attempt(retry(1)).streamClosed(Status.UNAVAILABLE);
        twice.attempt(retry(2)).streamClosed(Status.OK);
        twice.end();
        Call once = new Call();
        once.attempt(original()).streamClosed(Status.UNAVAILABLE);
        once.attempt(retry(1)).streamClosed(Status.OK);
        once.end();

        DistributionSummary retries = registry.get(GrpcMeterNames.CALL_RETRIES).summary();
        assertThat(retries.count()).isEqualTo(2);
        assertThat(retries.totalAmount()).isEqualTo(3);
        assertThat(retries.max()).isEqualTo(2);
        assertThat(registry.find(GrpcMeterNames.CALL_TRANSPARENT_RETRIES).meter()).isNull();
        assertThat(registry.find(GrpcMeterNames.CALL_HEDGES).meter()).isNull();
        assertThat(registry.get(GrpcMeterNames.CALL_RETRY_DELAY).timer().count()).isEqualTo(2);
        assertThat(registry.get(GrpcMeterNames.ATTEMPT_STARTED).counter().count()).isEqualTo(5);
    }

    @Test
    void transparentRetriesAreCountedApartFromRetries() {
        Call call = new Call();
        call.attempt(original()).streamClosed(Status.UNAVAILABLE);
        call.attempt(transparentRetry(0)).streamClosed(Status.UNAVAILABLE);
        call.attempt(retry(1)).streamClosed(Status.UNAVAILABLE);
        call.attempt(transparentRetry(1)).streamClosed(Status.OK);
        call.end();

        assertThat(registry.get(GrpcMeterNames.CALL_RETRIES).summary().totalAmount()).isEqualTo(1);
        DistributionSummary transparent = registry.get(GrpcMeterNames.CALL_TRANSPARENT_RETRIES).summary();
        assertThat(transparent.count()).isEqualTo(1);
        assertThat(transparent.totalAmount()).isEqualTo(2);
        assertThat(registry.find(GrpcMeterNames.CALL_HEDGES).meter()).isNull();
    }

    @Test
    void aTransparentRetryAloneRecordsItsCountAndDelayButNoRetries() {
        Call call = new Call();
        call.attempt(original()).streamClosed(Status.UNAVAILABLE);
        clock.add(Duration.ofMillis(3));
        call.attempt(transparentRetry(0)).streamClosed(Status.OK);
        call.end();

        assertThat(registry.get(GrpcMeterNames.CALL_TRANSPARENT_RETRIES).summary().totalAmount()).isEqualTo(1);
        assertThat(registry.find(GrpcMeterNames.CALL_RETRIES).meter()).isNull();
        assertThat(registry.get(GrpcMeterNames.CALL_RETRY_DELAY).timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(3);
    }

    @Test
    void hedgesAreCountedApartFromRetries() {
        Call call = new Call();
        ClientStreamTracer first = call.attempt(original().toBuilder().setIsHedging(true).build());
        ClientStreamTracer second = call.attempt(hedge(1));
        ClientStreamTracer third = call.attempt(hedge(2));
        second.streamClosed(Status.OK);
        call.end();
        first.streamClosed(Status.CANCELLED);
        third.streamClosed(Status.CANCELLED);

        DistributionSummary hedges = registry.get(GrpcMeterNames.CALL_HEDGES).summary();
        assertThat(hedges.count()).isEqualTo(1);
        assertThat(hedges.totalAmount()).isEqualTo(2);
        assertThat(registry.find(GrpcMeterNames.CALL_RETRIES).meter()).isNull();
        assertThat(registry.find(GrpcMeterNames.CALL_TRANSPARENT_RETRIES).meter()).isNull();
    }

    @Test
    void retryDelayIsTheTimeWithoutAnAttemptInFlightBetweenAttempts() {
        Call call = new Call();
        clock.add(Duration.ofMillis(30)); // before the first attempt: not delay
        ClientStreamTracer first = call.attempt(original());
        clock.add(Duration.ofMillis(100));
        first.streamClosed(Status.UNAVAILABLE);
        clock.add(Duration.ofMillis(50));
        ClientStreamTracer second = call.attempt(retry(1));
        clock.add(Duration.ofMillis(200));
        second.streamClosed(Status.UNAVAILABLE);
        clock.add(Duration.ofMillis(70));
        ClientStreamTracer third = call.attempt(retry(2));
        clock.add(Duration.ofMillis(10));
        third.streamClosed(Status.UNAVAILABLE);
        clock.add(Duration.ofMillis(40)); // after the last attempt: not delay
        call.end();

        assertThat(registry.get(GrpcMeterNames.CALL_RETRY_DELAY).timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(120);
    }

    @Test
    void overlappingHedgesAddNoDelay() {
        Call call = new Call();
        ClientStreamTracer first = call.attempt(original());
        clock.add(Duration.ofMillis(20));
        ClientStreamTracer second = call.attempt(hedge(1));
        clock.add(Duration.ofMillis(30));
        first.streamClosed(Status.UNAVAILABLE);
        clock.add(Duration.ofMillis(10));
        second.streamClosed(Status.UNAVAILABLE);
        clock.add(Duration.ofMillis(25));
        ClientStreamTracer third = call.attempt(hedge(2));
        clock.add(Duration.ofMillis(5));
        third.streamClosed(Status.OK);
        call.end();

        assertThat(registry.get(GrpcMeterNames.CALL_RETRY_DELAY).timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(25);
    }

    @Test
    void retryMetersCarryMethodTargetAndChannelButNoStatus() {
        Call call = new Call();
        call.attempt(original()).streamClosed(Status.UNAVAILABLE);
        call.attempt(retry(1)).streamClosed(Status.UNAVAILABLE);
        call.attempt(transparentRetry(1)).streamClosed(Status.UNAVAILABLE);
        call.end();

        for (String name : new String[] {GrpcMeterNames.CALL_RETRIES, GrpcMeterNames.CALL_TRANSPARENT_RETRIES,
                GrpcMeterNames.CALL_RETRY_DELAY}) {
            assertThat(registry.get(name).meter().getId().getTags()).as(name).containsExactlyInAnyOrder(
                    Tag.of(GrpcMeterNames.METHOD_TAG, METHOD),
                    Tag.of(GrpcMeterNames.TARGET_TAG, "static:///10.0.0.7:8443"),
                    Tag.of(GrpcMeterNames.CHANNEL_TAG, "orders"));
        }
        assertThat(registry.get(GrpcMeterNames.CALL_DURATION).meter().getId().getTag(GrpcMeterNames.STATUS_TAG))
                .isEqualTo("UNAVAILABLE");
    }

    private void assertNoRetryMeters() {
        assertThat(registry.find(GrpcMeterNames.CALL_RETRIES).meter()).isNull();
        assertThat(registry.find(GrpcMeterNames.CALL_TRANSPARENT_RETRIES).meter()).isNull();
        assertThat(registry.find(GrpcMeterNames.CALL_HEDGES).meter()).isNull();
        assertThat(registry.find(GrpcMeterNames.CALL_RETRY_DELAY).meter()).isNull();
    }

    private static StreamInfo original() {
        return StreamInfo.newBuilder().build();
    }

    private static StreamInfo retry(int previousAttempts) {
        return StreamInfo.newBuilder().setPreviousAttempts(previousAttempts).build();
    }

    private static StreamInfo hedge(int previousAttempts) {
        return StreamInfo.newBuilder().setPreviousAttempts(previousAttempts).setIsHedging(true).build();
    }

    /** A transparent retry keeps the previous attempts of the attempt it replays (gRFC A6). */
    private static StreamInfo transparentRetry(int previousAttempts) {
        return StreamInfo.newBuilder().setPreviousAttempts(previousAttempts).setIsTransparentRetry(true).build();
    }

    /** One call as the metering interceptor sees it: created now, started at once, ended by {@link #end}. */
    private final class Call {

        private final AttemptMeters attempts = new AttemptMeters(meters, meters.callTags(METHOD));
        private final long createdNanos = meters.now();
        private Status status = Status.UNKNOWN;

        ClientStreamTracer attempt(StreamInfo info) {
            ClientStreamTracer tracer = attempts.newClientStreamTracer(info, new Metadata());
            return new ClientStreamTracer() {
                @Override
                public void streamClosed(Status closed) {
                    status = closed;
                    tracer.streamClosed(closed);
                }
            };
        }

        void end() {
            attempts.callEnded(status.getCode().name(), createdNanos, createdNanos);
        }
    }
}
