package dev.lbchannel.channelz;

/**
 * Connection counts of a subchannel, or of all a channel's subchannels ever, at one moment, as
 * gRFC A94 defines them: connection attempts that became READY, attempts that failed (one per
 * address tried), and READY connections that were later lost.
 */
public record ConnectionStats(long attemptsSucceeded, long attemptsFailed, long disconnections) {

    /** No connection tried yet. */
    public static final ConnectionStats NONE = new ConnectionStats(0, 0, 0);
}
