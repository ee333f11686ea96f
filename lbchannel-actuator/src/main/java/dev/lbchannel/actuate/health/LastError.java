package dev.lbchannel.actuate.health;

import dev.lbchannel.ChannelSnapshot;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.channelz.TraceEvent;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the most recent failure in a channel's trace and its subchannels' traces: a WARNING or
 * ERROR event (core traces a subchannel's failure with its status as a WARNING). Trace
 * descriptions never carry metadata values, so they are safe to show.
 */
final class LastError {

    private LastError() {
    }

    /** {@code {"time": ISO-8601, "source": "channel" or the subchannel's addresses, "description": …}}, or null. */
    static @Nullable Map<String, Object> of(ChannelSnapshot channel) {
        TraceEvent latest = null;
        String source = null;
        for (TraceEvent event : channel.trace()) {
            if (isFailure(event) && (latest == null || !event.time().isBefore(latest.time()))) {
                latest = event;
                source = "channel";
            }
        }
        for (SubchannelSnapshot subchannel : channel.subchannels()) {
            for (TraceEvent event : subchannel.trace()) {
                if (isFailure(event) && (latest == null || !event.time().isBefore(latest.time()))) {
                    latest = event;
                    source = String.join(",", subchannel.addresses());
                }
            }
        }
        if (latest == null) {
            return null;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("time", latest.time().toString());
        error.put("source", source);
        error.put("description", latest.description());
        return error;
    }

    private static boolean isFailure(TraceEvent event) {
        return event.severity() != TraceEvent.Severity.INFO;
    }
}
