package dev.lbchannel.balancer.peakewma;

import java.util.function.LongSupplier;

/**
 * The policy's clock, read only where a call ends, and the time of the newest sample any endpoint
 * took, which is what picks decay the averages to. A pick reads no clock (on a virtual machine
 * {@code System.nanoTime()} alone costs about as much as the whole pick may): an endpoint passed
 * over decays as long as others keep answering, which is when its turn should come back, and
 * nothing decays while the channel is idle, when there is nothing to compare. The newest time
 * moves at most once per 1/1024 of the decay time, so calls ending on many event loops do not all
 * write one shared field. Thread-safe; the race of two writers only ever loses a step that small.
 */
final class SampleClock {

    private final LongSupplier clock;
    private volatile long latest;

    SampleClock(LongSupplier clock) {
        this.clock = clock;
        this.latest = clock.getAsLong();
    }

    /** Reads the clock for a sample ending now, and moves the newest sample time up to it if due. */
    long sampleTime(double decayNanos) {
        long now = clock.getAsLong();
        if (now - latest >= decayNanos / 1024) {
            latest = now;
        }
        return now;
    }

    /** The newest sample's time, give or take 1/1024 of the decay time; one volatile read. */
    long latest() {
        return latest;
    }
}
