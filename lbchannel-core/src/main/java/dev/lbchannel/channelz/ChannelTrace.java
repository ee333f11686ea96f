package dev.lbchannel.channelz;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The most recent events of one channel or subchannel, bounded so that a flapping backend
 * cannot grow it. Thread-safe; events are rare, so a small lock is enough.
 */
public final class ChannelTrace {

    /** How many events a trace keeps by default. */
    public static final int DEFAULT_CAPACITY = 64;

    /**
     * Also the lock. A connection's trace holds a handful of events, so it starts small; from six,
     * the deque grows to 70 slots for the default 64 events, where sixteen grew to 74.
     */
    private final ArrayDeque<TraceEvent> events;
    private final int capacity;
    private final Clock clock;

    public ChannelTrace(int capacity, Clock clock) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
        this.events = new ArrayDeque<>(Math.min(capacity, 6));
    }

    public ChannelTrace() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public void info(String description) {
        add(TraceEvent.Severity.INFO, description);
    }

    public void warning(String description) {
        add(TraceEvent.Severity.WARNING, description);
    }

    public void add(TraceEvent.Severity severity, String description) {
        TraceEvent event = new TraceEvent(clock.instant(), severity, description);
        synchronized (events) {
            if (events.size() == capacity) {
                events.removeFirst();
            }
            events.addLast(event);
        }
    }

    /** The kept events, oldest first. */
    public List<TraceEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
