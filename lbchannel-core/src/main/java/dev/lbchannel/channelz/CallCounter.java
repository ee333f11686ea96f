package dev.lbchannel.channelz;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts calls started, succeeded and failed on a channel or subchannel. Thread-safe and cheap
 * on the RPC path: striped adders, no lock.
 */
public final class CallCounter {

    private final LongAdder started = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile long lastStartedMillis;

    public void started() {
        started.increment();
        lastStartedMillis = System.currentTimeMillis();
    }

    public void finished(boolean ok) {
        (ok ? succeeded : failed).increment();
    }

    public CallStats snapshot() {
        long last = lastStartedMillis;
        return new CallStats(started.sum(), succeeded.sum(), failed.sum(),
                last == 0 ? null : Instant.ofEpochMilli(last));
    }
}
