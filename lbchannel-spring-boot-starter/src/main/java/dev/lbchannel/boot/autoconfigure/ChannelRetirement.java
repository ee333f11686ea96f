package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Takes a channel that a refresh replaced or removed out of service without failing its calls:
 * after a short hand-over, so that a call that read the old channel just before the switch still
 * starts on it, the channel is shut down (in-flight calls finish, new ones are refused), and what
 * is still running after {@code lbchannel.shutdown.grace-period} is cancelled. The timers run on
 * the JDK's shared delayed executor; stateless apart from its settings.
 */
final class ChannelRetirement {

    /** Longer than any gap between a stub reading its channel and starting the call on it. */
    static final Duration HANDOVER = Duration.ofSeconds(1);

    private static final Log logger = LogFactory.getLog(ChannelRetirement.class);

    private final Duration handover;
    private final Duration gracePeriod;

    ChannelRetirement(Duration handover, Duration gracePeriod) {
        this.handover = handover;
        this.gracePeriod = gracePeriod;
    }

    /** Starts retiring {@code channel}, once known as {@code name}; returns at once. */
    void retire(String name, LbChannel channel) {
        CompletableFuture.runAsync(() -> {
            channel.shutdown();
            CompletableFuture.runAsync(() -> forceIfRunning(name, channel), delayed(gracePeriod));
        }, delayed(handover));
    }

    private void forceIfRunning(String name, LbChannel channel) {
        if (!channel.isTerminated()) {
            logger.warn("Calls still in flight on the old channel '" + name + "' after the shutdown grace period of "
                    + gracePeriod + " were cancelled");
            channel.shutdownNow();
        }
    }

    private static Executor delayed(Duration delay) {
        return CompletableFuture.delayedExecutor(Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }
}
