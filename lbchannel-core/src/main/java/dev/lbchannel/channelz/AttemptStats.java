package dev.lbchannel.channelz;

/**
 * How a channel's calls used more than one attempt, at one moment (gRFC A6; the counts behind
 * gRFC A96's meters).
 *
 * @param retries attempts started by a retry policy after a failed one
 * @param transparentRetries attempts started again because the last one never reached the
 *     server's application (they count against no policy)
 * @param hedges attempts started by a hedging policy besides the first
 * @param throttled retries or hedges not started because the channel's retry throttle was
 *     below its threshold
 */
public record AttemptStats(long retries, long transparentRetries, long hedges, long throttled) {

    /** No call of the channel made more than one attempt. */
    public static final AttemptStats NONE = new AttemptStats(0, 0, 0, 0);
}
