package dev.lbchannel.actuate.health;

import dev.lbchannel.ChannelSnapshot;
import dev.lbchannel.LbChannel;
import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.channelz.SubchannelSnapshot;
import io.grpc.ConnectivityState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The health of one channel, from its connectivity state: READY and IDLE are UP (an idle channel
 * connects on its next call), CONNECTING is UNKNOWN, TRANSIENT_FAILURE is DOWN with the last error,
 * SHUTDOWN is OUT_OF_SERVICE. A channel that connects on start-up is OUT_OF_SERVICE until it has
 * connected once, so that a readiness group including it waits for that; {@code everConnected}
 * tells "never connected" from "connected, now idle" for every channel. Details name the state,
 * target, policy, how many subchannels are connected but unhealthy by client-side health checking
 * (gRFC A17), and each subchannel's state (and health, when it is checked). Never asks the channel
 * to connect; thread-safe.
 */
final class ChannelHealthIndicator implements HealthIndicator {

    private final LbChannel channel;
    private final boolean connectsOnStartup;

    ChannelHealthIndicator(LbChannel channel, boolean connectsOnStartup) {
        this.channel = requireNonNull(channel, "channel");
        this.connectsOnStartup = connectsOnStartup;
    }

    @Override
    public Health health() {
        ChannelSnapshot snapshot = channel.snapshot();
        boolean everConnected = snapshot.connections().attemptsSucceeded() > 0;
        Health.Builder health = switch (snapshot.state()) {
            case READY -> Health.up();
            case IDLE, CONNECTING -> connectsOnStartup && !everConnected ? Health.outOfService()
                    : snapshot.state() == ConnectivityState.IDLE ? Health.up() : Health.unknown();
            case TRANSIENT_FAILURE -> Health.down();
            case SHUTDOWN -> Health.outOfService();
        };
        health.withDetail("state", snapshot.state().name())
                .withDetail("everConnected", everConnected)
                .withDetail("target", snapshot.target())
                .withDetail("lbPolicy", snapshot.lbPolicy())
                .withDetail("unhealthySubchannels", unhealthy(snapshot))
                .withDetail("subchannels", subchannels(snapshot));
        Map<String, Object> lastError = LastError.of(snapshot);
        if (lastError != null && snapshot.state() == ConnectivityState.TRANSIENT_FAILURE) {
            health.withDetail("lastError", lastError);
        }
        return health.build();
    }

    /** Connected, yet kept out of the picker because the backend says it is not serving. */
    private static long unhealthy(ChannelSnapshot snapshot) {
        return snapshot.subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY && s.health().isUnhealthy()).count();
    }

    private static List<Map<String, Object>> subchannels(ChannelSnapshot snapshot) {
        return snapshot.subchannels().stream().map(ChannelHealthIndicator::subchannel).toList();
    }

    private static Map<String, Object> subchannel(SubchannelSnapshot subchannel) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("addresses", subchannel.addresses());
        details.put("state", subchannel.state().name());
        if (subchannel.health().state() != SubchannelHealth.State.NOT_CHECKED) {
            details.put("health", subchannel.health().state().name());
        }
        return details;
    }
}
