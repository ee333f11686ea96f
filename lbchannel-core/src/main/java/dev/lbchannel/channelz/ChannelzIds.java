package dev.lbchannel.channelz;

import java.util.concurrent.atomic.AtomicLong;

/** Hands out the ids channelz shows for channels, subchannels and sockets, unique per JVM. */
public final class ChannelzIds {

    private static final AtomicLong NEXT = new AtomicLong(1);

    private ChannelzIds() {
    }

    public static long next() {
        return NEXT.getAndIncrement();
    }
}
