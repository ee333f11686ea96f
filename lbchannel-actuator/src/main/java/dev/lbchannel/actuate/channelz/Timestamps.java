package dev.lbchannel.actuate.channelz;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** How channelz writes a moment: ISO-8601 in UTC ({@code 2026-11-24T10:00:00Z}), or absent. */
final class Timestamps {

    private Timestamps() {
    }

    static @Nullable String iso(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
