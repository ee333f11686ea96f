package dev.lbchannel.actuate.channelz;

import dev.lbchannel.ChannelSnapshot;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import java.util.List;

/**
 * One channel as {@code GET /actuator/channelz/{name}} shows it: its name under
 * {@code lbchannel.channels}, the target as configured, connectivity state, the policy in use,
 * call counts, subchannels, recent trace, the connection counts of all its subchannels ever, the
 * retries, transparent retries and hedges its calls made, its outlier ejections, and what its
 * resolver reported.
 */
public record ChannelDescriptor(long id, String name, String target, String state, String lbPolicy,
        CallsDescriptor calls, List<SubchannelDescriptor> subchannels, List<TraceDescriptor> trace,
        ConnectionsDescriptor connections, AttemptsDescriptor attempts, OutlierDetectionDescriptor outlierDetection,
        ResolutionDescriptor resolution)
        implements OperationResponseBody {

    static ChannelDescriptor of(String name, ChannelSnapshot channel) {
        return new ChannelDescriptor(channel.id(), name, channel.target(), channel.state().name(),
                channel.lbPolicy(), CallsDescriptor.of(channel.calls()),
                channel.subchannels().stream().map(SubchannelDescriptor::of).toList(),
                TraceDescriptor.of(channel.trace()), ConnectionsDescriptor.of(channel.connections()),
                AttemptsDescriptor.of(channel.attempts()), OutlierDetectionDescriptor.of(channel.ejections()),
                ResolutionDescriptor.of(channel.resolution()));
    }
}
