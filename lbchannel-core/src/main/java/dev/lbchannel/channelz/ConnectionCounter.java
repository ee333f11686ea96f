package dev.lbchannel.channelz;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a subchannel's connection attempts and disconnections ({@link ConnectionStats}), and adds
 * each event to its channel's counter too, so that the channel's totals never go down when a
 * subchannel goes away. Thread-safe; events are rare, snapshots may come from any thread.
 */
public final class ConnectionCounter {

    private final @Nullable ConnectionCounter channel;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder disconnections = new LongAdder();

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
        succeeded.increment();
        if (channel != null) {
            channel.attemptSucceeded();
        }
    }

    /** A connection attempt to one address failed before it became READY. */
    public void attemptFailed() {
        failed.increment();
        if (channel != null) {
            channel.attemptFailed();
        }
    }

    /** A READY connection was lost. */
    public void disconnected() {
        disconnections.increment();
        if (channel != null) {
            channel.disconnected();
        }
    }

    public ConnectionStats snapshot() {
        return new ConnectionStats(succeeded.sum(), failed.sum(), disconnections.sum());
    }
}
