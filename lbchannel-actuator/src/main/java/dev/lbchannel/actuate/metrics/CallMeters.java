package dev.lbchannel.actuate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The per-call meters of one channel (gRFC A66, and A96 for retries), with the tags every call on
 * it shares ({@code channel}, {@code grpc.target}). The target is looked up on each call, because a builder customizer
 * runs before the channel (and its target) exists and a refresh may change it; the tags are made
 * again only when it changed. Thread-safe; looking a meter up by tags is the registry's cached
 * lookup.
 */
final class CallMeters {

    private final MeterRegistry registry;
    private final String channelName;
    private final Supplier<String> target;
    private volatile @Nullable TargetTags channelTags;
    private final Meter.MeterProvider<Counter> attemptStarted;
    private final Meter.MeterProvider<Timer> attemptDuration;
    private final Meter.MeterProvider<Timer> callDuration;
    private final Meter.MeterProvider<DistributionSummary> sentSize;
    private final Meter.MeterProvider<DistributionSummary> rcvdSize;
    private final Meter.MeterProvider<DistributionSummary> retries;
    private final Meter.MeterProvider<DistributionSummary> transparentRetries;
    private final Meter.MeterProvider<DistributionSummary> hedges;
    private final Meter.MeterProvider<Timer> retryDelay;

    CallMeters(MeterRegistry registry, String channelName, Supplier<String> target) {
        this.registry = requireNonNull(registry, "registry");
        this.channelName = requireNonNull(channelName, "channelName");
        this.target = requireNonNull(target, "target");
        this.attemptStarted = Counter.builder(GrpcMeterNames.ATTEMPT_STARTED)
                .description("Call attempts started").baseUnit("attempts").withRegistry(registry);
        this.attemptDuration = Timer.builder(GrpcMeterNames.ATTEMPT_DURATION)
                .description("Time from the start of a call attempt to its end").withRegistry(registry);
        this.callDuration = Timer.builder(GrpcMeterNames.CALL_DURATION)
                .description("Time from the creation of a call to its end, as the application sees it")
                .withRegistry(registry);
        this.sentSize = DistributionSummary.builder(GrpcMeterNames.ATTEMPT_SENT_SIZE)
                .description("Compressed bytes of the request messages a call attempt sent").baseUnit("bytes")
                .withRegistry(registry);
        this.rcvdSize = DistributionSummary.builder(GrpcMeterNames.ATTEMPT_RCVD_SIZE)
                .description("Compressed bytes of the response messages a call attempt received").baseUnit("bytes")
                .withRegistry(registry);
        // Bucket boundaries as gRFC A96 recommends them, for registries that publish histograms.
        this.retries = DistributionSummary.builder(GrpcMeterNames.CALL_RETRIES)
                .description("Retries of a call, for calls that made any").baseUnit("retries")
                .serviceLevelObjectives(1, 2, 3, 4, 5).withRegistry(registry);
        this.transparentRetries = DistributionSummary.builder(GrpcMeterNames.CALL_TRANSPARENT_RETRIES)
                .description("Transparent retries of a call, for calls that made any").baseUnit("retries")
                .serviceLevelObjectives(1, 2, 3, 4, 5, 10).withRegistry(registry);
        this.hedges = DistributionSummary.builder(GrpcMeterNames.CALL_HEDGES)
                .description("Hedged attempts of a call besides the first, for calls that made any")
                .baseUnit("hedges").serviceLevelObjectives(1, 2, 3, 4, 5).withRegistry(registry);
        this.retryDelay = Timer.builder(GrpcMeterNames.CALL_RETRY_DELAY)
                .description("Time a call had no attempt in flight between attempts, for calls with more than one")
                .withRegistry(registry);
    }

    /** Tags of a call to {@code method} on this channel. */
    Tags callTags(String method) {
        String now = target.get();
        TargetTags tags = channelTags;
        if (tags == null || !tags.target().equals(now)) {
            // Racing calls compute equal tags; either may win.
            tags = new TargetTags(now, Tags.of(GrpcMeterNames.CHANNEL_TAG, channelName,
                    GrpcMeterNames.TARGET_TAG, CanonicalTarget.of(now)));
            channelTags = tags;
        }
        return tags.tags().and(GrpcMeterNames.METHOD_TAG, method);
    }

    /** The channel's tags and the target they were made for. */
    private record TargetTags(String target, Tags tags) {
    }

    long now() {
        return registry.config().clock().monotonicTime();
    }

    void attemptStarted(Tags callTags) {
        attemptStarted.withTags(callTags).increment();
    }

    void attemptEnded(Tags callTags, String status, long startedNanos, long endedNanos, long sentBytes,
            long rcvdBytes) {
        Tags tags = callTags.and(GrpcMeterNames.STATUS_TAG, status);
        attemptDuration.withTags(tags).record(endedNanos - startedNanos, TimeUnit.NANOSECONDS);
        sentSize.withTags(tags).record(sentBytes);
        rcvdSize.withTags(tags).record(rcvdBytes);
    }

    void callEnded(Tags callTags, String status, long createdNanos) {
        callDuration.withTags(callTags.and(GrpcMeterNames.STATUS_TAG, status))
                .record(now() - createdNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records how a closed call used attempts beyond its first (gRFC A96): each count only when it
     * is not zero, and the delay between attempts only when there was more than one. Tagged
     * without the status, as A96 asks.
     */
    void callAttempts(Tags callTags, int retried, int transparentlyRetried, int hedged, long delayNanos) {
        if (retried > 0) {
            retries.withTags(callTags).record(retried);
        }
        if (transparentlyRetried > 0) {
            transparentRetries.withTags(callTags).record(transparentlyRetried);
        }
        if (hedged > 0) {
            hedges.withTags(callTags).record(hedged);
        }
        if (retried + transparentlyRetried + hedged > 0) {
            retryDelay.withTags(callTags).record(delayNanos, TimeUnit.NANOSECONDS);
        }
    }
}
