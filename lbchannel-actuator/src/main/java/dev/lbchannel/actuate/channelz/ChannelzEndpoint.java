package dev.lbchannel.actuate.channelz;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code /actuator/channelz}: what every configured channel is doing. {@code GET} lists them,
 * {@code GET /{name}} shows one (404 when there is none), and {@code POST /{name}/resetConnectBackoff}
 * or {@code POST /{name}/enterIdle} act on one. Access is read-only unless
 * {@code management.endpoint.channelz.access=unrestricted}, so the write operations are off by
 * default. Every read takes a fresh snapshot; thread-safe.
 */
@Endpoint(id = "channelz", defaultAccess = Access.READ_ONLY)
public class ChannelzEndpoint {

    private final LbChannels channels;

    public ChannelzEndpoint(LbChannels channels) {
        this.channels = requireNonNull(channels, "channels");
    }

    @ReadOperation
    public ChannelzDescriptor channels() {
        List<ChannelDescriptor> all = new ArrayList<>(channels.size());
        for (Map.Entry<String, LbChannel> entry : channels.asMap().entrySet()) {
            all.add(ChannelDescriptor.of(entry.getKey(), entry.getValue().snapshot()));
        }
        return new ChannelzDescriptor(all);
    }

    /** One channel, or {@code null} (HTTP 404) when none has that name. */
    @ReadOperation
    public @Nullable ChannelDescriptor channel(@Selector String name) {
        return channels.find(name).map(channel -> ChannelDescriptor.of(name, channel.snapshot())).orElse(null);
    }

    /** Applies {@code operation} to the channel: 204, or 404 for an unknown channel, 400 for an unknown operation. */
    @WriteOperation
    public WebEndpointResponse<?> operate(@Selector String name, @Selector String operation) {
        LbChannel channel = channels.find(name).orElse(null);
        if (channel == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        ChannelOperation chosen = ChannelOperation.forPath(operation);
        if (chosen == null) {
            return new WebEndpointResponse<>(Map.of("error", "Unknown operation; known operations: "
                    + ChannelOperation.paths()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        chosen.applyTo(channel);
        return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
    }
}
