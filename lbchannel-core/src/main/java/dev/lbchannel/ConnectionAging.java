package dev.lbchannel;

import dev.lbchannel.serializer.Serializer;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The client-side maximum connection age of one subchannel: each connection that becomes its
 * READY one is replaced after the age, give or take 10 % so that a fleet of clients started
 * together does not reconnect together. The replacement goes through the subchannel's
 * {@link ConnectionHandoff}, so the old connection drains only once the new one is READY, and no
 * call waits or fails. It spreads load again after a scale-up without the churn a server-side
 * MAX_CONNECTION_AGE causes to every client at once. Off when the age is zero.
 *
 * <p>Confined to the channel's serializer, like the {@link DefaultSubchannel} that owns it.
 */
final class ConnectionAging {

    private static final double JITTER = 0.10;

    private final long ageNanos;
    private final Serializer serializer;
    private final ScheduledExecutorService scheduler;
    private final Runnable replace;
    private Serializer.@Nullable ScheduledHandle timer;

    /**
     * @param ageNanos the age, or 0 for none
     * @param replace starts the replacement of the subchannel's READY connection
     */
    ConnectionAging(long ageNanos, Serializer serializer, ScheduledExecutorService scheduler, Runnable replace) {
        this.ageNanos = ageNanos;
        this.serializer = serializer;
        this.scheduler = scheduler;
        this.replace = replace;
    }

    /** A connection became the subchannel's READY one (a first one, or a replacement): its age starts now. */
    void connected() {
        if (ageNanos <= 0) {
            return;
        }
        cancel();
        timer = serializer.schedule(replace, jittered(ageNanos), TimeUnit.NANOSECONDS, scheduler);
    }

    /** The READY connection is gone (or the subchannel shut down): nothing to age. */
    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** The age times a factor drawn evenly from 0.9 to 1.1. */
    static long jittered(long ageNanos) {
        double factor = 1 - JITTER + 2 * JITTER * ThreadLocalRandom.current().nextDouble();
        return (long) (ageNanos * factor);
    }
}
