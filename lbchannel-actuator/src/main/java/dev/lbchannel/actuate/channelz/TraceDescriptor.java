package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.TraceEvent;

import java.util.List;

/**
 * One trace event: {@code {"time":"…Z","severity":"INFO","description":"Channel created"}};
 * severity is {@code INFO}, {@code WARNING} or {@code ERROR}.
 */
public record TraceDescriptor(String time, String severity, String description) {

    static TraceDescriptor of(TraceEvent event) {
        return new TraceDescriptor(event.time().toString(), event.severity().name(), event.description());
    }

    static List<TraceDescriptor> of(List<TraceEvent> events) {
        return events.stream().map(TraceDescriptor::of).toList();
    }
}
