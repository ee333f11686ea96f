package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.ResolutionStats;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a channel's resolver reported: {@code {"lastUpdate":"2026-11-24T10:00:00Z","endpoints":4,
 * "updates":7,"errors":1,"lastError":"UNAVAILABLE: ...","lastErrorTime":"...",
 * "resolver":{"resourceVersion":"1234","watch":"CONNECTED"}}}; {@code endpoints} is -1 and the
 * times absent before the first report. {@code resolver} holds the resolver's own values, sorted
 * by name.
 */
public record ResolutionDescriptor(@Nullable String lastUpdate, int endpoints, long updates, long errors,
        @Nullable String lastError, @Nullable String lastErrorTime, Map<String, Object> resolver) {

    static ResolutionDescriptor of(ResolutionStats stats) {
        return new ResolutionDescriptor(Timestamps.iso(stats.lastUpdate()), stats.endpoints(), stats.updates(),
                stats.errors(), stats.lastError(), Timestamps.iso(stats.lastErrorTime()),
                new TreeMap<>(stats.resolver()));
    }
}
