package dev.lbchannel.channelz;

import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;

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

    private static final String[] ENTERING = new String[ConnectivityState.values().length];

    static {
        for (ConnectivityState state : ConnectivityState.values()) {
            ENTERING[state.ordinal()] = "Entering " + state;
        }
    }

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

    /**
     * A state entered: INFO without an error, with words made once per state rather than per
     * change; WARNING with the status's code and description otherwise.
     */
    public void stateEntered(ConnectivityStateInfo entered) {
        Status status = entered.getStatus();
        if (status.isOk()) {
            info(ENTERING[entered.getState().ordinal()]);
        } else {
            warning("Entering " + entered.getState() + ": " + status.getCode()
                    + (status.getDescription() == null ? "" : " " + status.getDescription()));
        }
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
