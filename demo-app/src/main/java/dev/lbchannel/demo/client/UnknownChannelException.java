package dev.lbchannel.demo.client;

import java.util.Collection;

/** A call asked for a channel that is not configured; the message lists the configured ones. */
public final class UnknownChannelException extends IllegalArgumentException {

    UnknownChannelException(String channel, Collection<String> known) {
        super("No channel '" + channel + "'; channels are " + String.join(", ", known));
    }
}
