package dev.lbchannel.channelz;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** Call counts at one moment; {@code lastStarted} is {@code null} before the first call. */
public record CallStats(long started, long succeeded, long failed, @Nullable Instant lastStarted) {
}
