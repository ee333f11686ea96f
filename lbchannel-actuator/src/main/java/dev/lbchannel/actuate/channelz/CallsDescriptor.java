package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.CallStats;
import org.jspecify.annotations.Nullable;

/**
 * Call counts of a channel or subchannel: {@code {"started":10,"succeeded":9,"failed":1,
 * "lastStarted":"2026-11-24T10:00:00Z"}}; {@code lastStarted} is {@code null} before the first call.
 */
public record CallsDescriptor(long started, long succeeded, long failed, @Nullable String lastStarted) {

    static CallsDescriptor of(CallStats calls) {
        return new CallsDescriptor(calls.started(), calls.succeeded(), calls.failed(),
                Timestamps.iso(calls.lastStarted()));
    }
}
