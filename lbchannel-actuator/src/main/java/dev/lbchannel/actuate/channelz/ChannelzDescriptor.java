package dev.lbchannel.actuate.channelz;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import java.util.List;

/** What {@code GET /actuator/channelz} returns: {@code {"channels":[…]}}, in configuration order. */
public record ChannelzDescriptor(List<ChannelDescriptor> channels) implements OperationResponseBody {

    public ChannelzDescriptor {
        channels = List.copyOf(channels);
    }
}
