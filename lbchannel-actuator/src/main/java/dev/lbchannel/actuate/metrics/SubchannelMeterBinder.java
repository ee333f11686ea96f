package dev.lbchannel.actuate.metrics;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.channelz.SubchannelSnapshot;
import io.grpc.ConnectivityState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Gauges of every channel's subchannels: how many are in each connectivity state, and how many
 * connections they hold open; and counters of their connection attempts and disconnections,
 * totalled over every subchannel the channel ever had, so they never go down. A meter refers to
 * its channel weakly (function counters always do), so it never keeps a closed channel alive; a
 * shut-down channel reports no subchannels.
 */
final class SubchannelMeterBinder implements MeterBinder {

    private final LbChannels channels;

    SubchannelMeterBinder(LbChannels channels) {
        this.channels = requireNonNull(channels, "channels");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Map.Entry<String, LbChannel> entry : channels.asMap().entrySet()) {
            LbChannel channel = entry.getValue();
            Tags tags = Tags.of(GrpcMeterNames.CHANNEL_TAG, entry.getKey(),
                    GrpcMeterNames.TARGET_TAG, CanonicalTarget.of(channel.target()));
            for (ConnectivityState state : ConnectivityState.values()) {
                Gauge.builder(GrpcMeterNames.SUBCHANNELS, channel, c -> inState(c, state))
                        .description("Subchannels of the channel in this connectivity state")
                        .tags(tags).tag(GrpcMeterNames.STATE_TAG, state.name())
                        .strongReference(false).register(registry);
            }
            Gauge.builder(GrpcMeterNames.OPEN_CONNECTIONS, channel, SubchannelMeterBinder::openConnections)
                    .description("Connections the channel's subchannels hold open")
                    .tags(tags).strongReference(false).register(registry);
            FunctionCounter.builder(GrpcMeterNames.CONNECTION_ATTEMPTS_SUCCEEDED, channel,
                    c -> c.snapshot().connections().attemptsSucceeded())
                    .description("Connection attempts of the channel's subchannels that became READY")
                    .baseUnit("attempts").tags(tags).register(registry);
            FunctionCounter.builder(GrpcMeterNames.CONNECTION_ATTEMPTS_FAILED, channel,
                    c -> c.snapshot().connections().attemptsFailed())
                    .description("Connection attempts of the channel's subchannels that failed")
                    .baseUnit("attempts").tags(tags).register(registry);
            FunctionCounter.builder(GrpcMeterNames.DISCONNECTIONS, channel,
                    c -> c.snapshot().connections().disconnections())
                    .description("READY connections of the channel's subchannels that were lost")
                    .baseUnit("disconnections").tags(tags).register(registry);
        }
    }

    private static double inState(LbChannel channel, ConnectivityState state) {
        return channel.snapshot().subchannels().stream().filter(s -> s.state() == state).count();
    }

    private static double openConnections(LbChannel channel) {
        long open = 0;
        for (SubchannelSnapshot subchannel : channel.snapshot().subchannels()) {
            open += subchannel.sockets().size();
        }
        return open;
    }
}
