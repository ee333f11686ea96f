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
 * The per-call meters of one channel, with the tags every call on it shares ({@code channel},
 * {@code grpc.target}). The target is looked up on the first call, because a builder customizer
 * runs before the channel (and its target) exists. Thread-safe; looking a meter up by tags is the
 * registry's cached lookup.
 */
final class CallMeters {

    private final MeterRegistry registry;
    private final String channelName;
    private final Supplier<String> target;
    private volatile @Nullable Tags channelTags;
    private final Meter.MeterProvider<Counter> attemptStarted;
    private final Meter.MeterProvider<Timer> attemptDuration;
    private final Meter.MeterProvider<Timer> callDuration;
    private final Meter.MeterProvider<DistributionSummary> sentSize;
    private final Meter.MeterProvider<DistributionSummary> rcvdSize;

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
    }

    /** Tags of a call to {@code method} on this channel. */
    Tags callTags(String method) {
        Tags tags = channelTags;
        if (tags == null) {
            // Racing first calls compute equal tags; either may win.
            tags = Tags.of(GrpcMeterNames.CHANNEL_TAG, channelName,
                    GrpcMeterNames.TARGET_TAG, CanonicalTarget.of(target.get()));
            channelTags = tags;
        }
        return tags.and(GrpcMeterNames.METHOD_TAG, method);
    }

    long now() {
        return registry.config().clock().monotonicTime();
    }

    void attemptStarted(Tags callTags) {
        attemptStarted.withTags(callTags).increment();
    }

    void attemptEnded(Tags callTags, String status, long startedNanos, long sentBytes, long rcvdBytes) {
        Tags tags = callTags.and(GrpcMeterNames.STATUS_TAG, status);
        attemptDuration.withTags(tags).record(now() - startedNanos, TimeUnit.NANOSECONDS);
        sentSize.withTags(tags).record(sentBytes);
        rcvdSize.withTags(tags).record(rcvdBytes);
    }

    void callEnded(Tags callTags, String status, long createdNanos) {
        callDuration.withTags(callTags.and(GrpcMeterNames.STATUS_TAG, status))
                .record(now() - createdNanos, TimeUnit.NANOSECONDS);
    }
}
