package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import io.grpc.ConnectivityState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Owns the channels (and their callback executor) and runs them with the application context. On start it asks the channels marked
 * {@code connect-on-startup} to connect and waits, at most {@code lbchannel.startup.connect-timeout}
 * for all of them together, for them to be READY; one that is not is logged and keeps trying,
 * since a dependency that is down must not keep the application from starting. On stop it shuts
 * every channel down, lets in-flight calls finish for at most
 * {@code lbchannel.shutdown.grace-period}, then closes whatever is left. Its phase puts start
 * before, and stop after, the web server's, so requests still in flight can use the channels.
 * Called by the context's lifecycle thread.
 */
final class LbChannelsLifecycle implements SmartLifecycle, DisposableBean {

    /** Before the web server starts (lower phases start first) and after it stops (and stop last). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log logger = LogFactory.getLog(LbChannelsLifecycle.class);

    private final LbChannels channels;
    private static final Duration FORCED_TERMINATION_WAIT = Duration.ofSeconds(5);

    private final CallbackExecutor executor;
    private final Set<String> connectOnStartup;
    private final Duration connectTimeout;
    private final Duration gracePeriod;
    private volatile boolean running;

    LbChannelsLifecycle(LbChannels channels, CallbackExecutor executor, Set<String> connectOnStartup,
            Duration connectTimeout, Duration gracePeriod) {
        this.channels = channels;
        this.executor = executor;
        this.connectOnStartup = connectOnStartup;
        this.connectTimeout = connectTimeout;
        this.gracePeriod = gracePeriod;
    }

    /** The channels this lifecycle owns. */
    LbChannels channels() {
        return channels;
    }

    @Override
    public void start() {
        running = true;
        List<String> eager = channels.names().stream().filter(connectOnStartup::contains).toList();
        if (!eager.isEmpty()) {
            connect(eager);
        }
    }

    @Override
    public void stop() {
        running = false;
        for (LbChannel channel : channels) {
            channel.shutdown();
        }
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        try {
            for (LbChannel channel : channels) {
                channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> forced = new ArrayList<>();
        channels.asMap().forEach((name, channel) -> {
            if (!channel.isTerminated()) {
                forced.add(name);
                channel.shutdownNow();
            }
        });
        if (!forced.isEmpty()) {
            logger.warn("Calls still in flight after the shutdown grace period of " + gracePeriod
                    + " were cancelled on channels " + forced);
            awaitTermination(FORCED_TERMINATION_WAIT);
        }
        executor.shutdown();
    }

    /** Lets cancelled calls deliver their onClose before the callback executor goes away. */
    private void awaitTermination(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            for (LbChannel channel : channels) {
                channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Closes channels at once if the context is destroyed without being stopped (a failed refresh). */
    @Override
    public void destroy() {
        for (LbChannel channel : channels) {
            if (!channel.isTerminated()) {
                channel.shutdownNow();
            }
        }
        executor.shutdown();
    }

    private void connect(List<String> names) {
        CountDownLatch ready = new CountDownLatch(names.size());
        for (String name : names) {
            awaitReady(channels.get(name), ready, true);
        }
        try {
            if (ready.await(connectTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> notReady = new ArrayList<>();
        for (String name : names) {
            ConnectivityState state = channels.get(name).getState(false);
            if (state != ConnectivityState.READY) {
                notReady.add(name + " (" + state + ")");
            }
        }
        logger.warn("Channels not READY within lbchannel.startup.connect-timeout (" + connectTimeout
                + "); they keep connecting: " + notReady);
    }

    /**
     * Counts {@code ready} down once the channel is READY, following its state changes and asking
     * it to connect whenever it is IDLE.
     */
    private static void awaitReady(LbChannel channel, CountDownLatch ready, boolean requestConnection) {
        ConnectivityState state = channel.getState(requestConnection);
        if (state == ConnectivityState.READY) {
            ready.countDown();
        } else if (state != ConnectivityState.SHUTDOWN) {
            channel.notifyWhenStateChanged(state, () -> awaitReady(channel, ready, true));
        }
    }
}
