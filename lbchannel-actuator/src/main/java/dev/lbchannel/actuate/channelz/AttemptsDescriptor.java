package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.AttemptStats;

/**
 * The attempts a channel's calls made beyond their first, over the channel's life (gRFC A6):
 * {@code {"retries":2,"transparentRetries":1,"hedges":0,"throttled":0}}; {@code throttled} counts
 * retries and hedges the retry throttle did not let start.
 */
public record AttemptsDescriptor(long retries, long transparentRetries, long hedges, long throttled) {

    static AttemptsDescriptor of(AttemptStats attempts) {
        return new AttemptsDescriptor(attempts.retries(), attempts.transparentRetries(), attempts.hedges(),
                attempts.throttled());
    }
}
