package dev.lbchannel.channelz;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Counts a subchannel's connection attempts and disconnections ({@link ConnectionStats}), and adds
 * each event to its channel's counter too, so that the channel's totals never go down when a
 * subchannel goes away. Thread-safe; events are rare, snapshots may come from any thread.
 */
public final class ConnectionCounter {

    // Field updaters over plain volatile longs, not adders: events are rare, so never contended,
    // and every channel and subchannel carries one counter (issue 18, footprint: 24 bytes, not 108).
    private static final AtomicLongFieldUpdater<ConnectionCounter> SUCCEEDED =
            AtomicLongFieldUpdater.newUpdater(ConnectionCounter.class, "succeeded");
    private static final AtomicLongFieldUpdater<ConnectionCounter> FAILED =
            AtomicLongFieldUpdater.newUpdater(ConnectionCounter.class, "failed");
    private static final AtomicLongFieldUpdater<ConnectionCounter> DISCONNECTIONS =
            AtomicLongFieldUpdater.newUpdater(ConnectionCounter.class, "disconnections");

    private final @Nullable ConnectionCounter channel;
    private volatile long succeeded;
    private volatile long failed;
    private volatile long disconnections;

    /** A channel's counter, which its subchannels' counters add to. */
    public ConnectionCounter() {
        this(null);
    }

    private ConnectionCounter(@Nullable ConnectionCounter channel) {
        this.channel = channel;
    }

    /** A counter for one subchannel of this counter's channel. */
    public ConnectionCounter forSubchannel() {
        return new ConnectionCounter(this);
    }

    /** A connection attempt became READY. */
    public void attemptSucceeded() {
        SUCCEEDED.incrementAndGet(this);
        if (channel != null) {
            channel.attemptSucceeded();
        }
    }

    /** A connection attempt to one address failed before it became READY. */
    public void attemptFailed() {
        FAILED.incrementAndGet(this);
        if (channel != null) {
            channel.attemptFailed();
        }
    }

    /** A READY connection was lost. */
    public void disconnected() {
        DISCONNECTIONS.incrementAndGet(this);
        if (channel != null) {
            channel.disconnected();
        }
    }

    public ConnectionStats snapshot() {
        return new ConnectionStats(succeeded, failed, disconnections);
    }
}
