package dev.lbchannel.channelz;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a channel's resolver has reported, at one moment: when the last result arrived and how many
 * endpoints it named, how many results and errors there have been, the last error, and what the
 * resolver itself shows of its progress (for a registry watch, the revision it has seen and the
 * state of the watch). A registry that cannot be reached shows here while the channel keeps
 * calling the endpoints it last heard of. Immutable.
 *
 * @param lastUpdate when the last result arrived, or {@code null} before the first
 * @param endpoints how many endpoints the last result named; {@code -1} before the first
 * @param updates results so far
 * @param errors errors reported so far
 * @param lastError the last error as {@code CODE: description}, or {@code null} if none yet
 * @param lastErrorTime when it came, or {@code null}
 * @param resolver the resolver's own short values ({@code Resolver.details()})
 */
public record ResolutionStats(@Nullable Instant lastUpdate, int endpoints, long updates, long errors,
        @Nullable String lastError, @Nullable Instant lastErrorTime, Map<String, Object> resolver) {

    /** A channel whose resolver has reported nothing yet. */
    public static final ResolutionStats NONE = new ResolutionStats(null, -1, 0, 0, null, null, Map.of());

    public ResolutionStats {
        resolver = Map.copyOf(requireNonNull(resolver, "resolver"));
    }
}
