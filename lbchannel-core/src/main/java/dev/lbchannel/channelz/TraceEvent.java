package dev.lbchannel.channelz;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** One entry of a channel's or subchannel's trace. Never carries metadata values. */
public record TraceEvent(Instant time, Severity severity, String description) {

    /** How much an event matters, as channelz grades it. */
    public enum Severity { INFO, WARNING, ERROR }

    public TraceEvent {
        requireNonNull(time, "time");
        requireNonNull(severity, "severity");
        requireNonNull(description, "description");
    }
}
