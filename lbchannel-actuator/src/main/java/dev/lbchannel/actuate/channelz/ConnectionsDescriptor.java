package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.ConnectionStats;

/**
 * Connection counts of a subchannel, or of all a channel's subchannels ever (gRFC A94):
 * {@code {"attemptsSucceeded":3,"attemptsFailed":1,"disconnections":2}}.
 */
public record ConnectionsDescriptor(long attemptsSucceeded, long attemptsFailed, long disconnections) {

    static ConnectionsDescriptor of(ConnectionStats connections) {
        return new ConnectionsDescriptor(connections.attemptsSucceeded(), connections.attemptsFailed(),
                connections.disconnections());
    }
}
