package dev.lbchannel.channelz;

import dev.lbchannel.transport.SocketStats;

/** One connection of a subchannel as channelz shows it. */
public record SocketSnapshot(long id, SocketStats stats) {
}
