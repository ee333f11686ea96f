package dev.lbchannel.actuate.metrics;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.channelz.SubchannelSnapshot;
import io.grpc.ConnectivityState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;

/**
 * Gauges of every channel's subchannels: how many are in each connectivity state, and how many
 * connections they hold open; and counters of their connection attempts and disconnections,
 * totalled over every subchannel the channel ever had, so they never go down. A meter refers to
 * its channel weakly (function counters always do), so it never keeps a closed channel alive; a
 * shut-down channel reports no subchannels. They follow refreshes as {@link PerChannelMeterBinder} says.
 */
final class SubchannelMeterBinder extends PerChannelMeterBinder {

    SubchannelMeterBinder(LbChannels channels) {
        super(channels);
    }

    @Override
    List<Meter> register(MeterRegistry registry, String name, LbChannel channel) {
        Tags tags = Tags.of(GrpcMeterNames.CHANNEL_TAG, name,
                GrpcMeterNames.TARGET_TAG, CanonicalTarget.of(channel.target()));
        List<Meter> meters = new ArrayList<>();
        for (ConnectivityState state : ConnectivityState.values()) {
            meters.add(Gauge.builder(GrpcMeterNames.SUBCHANNELS, channel, c -> inState(c, state))
                    .description("Subchannels of the channel in this connectivity state")
                    .tags(tags).tag(GrpcMeterNames.STATE_TAG, state.name())
                    .strongReference(false).register(registry));
        }
        meters.add(Gauge.builder(GrpcMeterNames.OPEN_CONNECTIONS, channel, SubchannelMeterBinder::openConnections)
                .description("Connections the channel's subchannels hold open")
                .tags(tags).strongReference(false).register(registry));
        meters.add(FunctionCounter.builder(GrpcMeterNames.CONNECTION_ATTEMPTS_SUCCEEDED, channel,
                c -> c.snapshot().connections().attemptsSucceeded())
                .description("Connection attempts of the channel's subchannels that became READY")
                .baseUnit("attempts").tags(tags).register(registry));
        meters.add(FunctionCounter.builder(GrpcMeterNames.CONNECTION_ATTEMPTS_FAILED, channel,
                c -> c.snapshot().connections().attemptsFailed())
                .description("Connection attempts of the channel's subchannels that failed")
                .baseUnit("attempts").tags(tags).register(registry));
        meters.add(FunctionCounter.builder(GrpcMeterNames.DISCONNECTIONS, channel,
                c -> c.snapshot().connections().disconnections())
                .description("READY connections of the channel's subchannels that were lost")
                .baseUnit("disconnections").tags(tags).register(registry));
        return meters;
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
