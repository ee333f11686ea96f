package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Owns the channels (and their callback executor) and runs them with the application context. On start it asks the channels marked
 * {@code connect-on-startup} to connect and waits, at most {@code lbchannel.startup.connect-timeout}
 * for all of them together, for them to be READY; one that is not is logged and keeps trying,
 * since a dependency that is down must not keep the application from starting. On stop it shuts
 * every channel down, those a refresh retired and that are still draining included, lets
 * in-flight calls finish for at most {@code lbchannel.shutdown.grace-period}, then closes whatever
 * is left; a refresh after that changes nothing. Its phase puts start before, and stop after, the
 * web server's, so requests still in flight can use the channels. Called by the context's
 * lifecycle thread.
 */
final class LbChannelsLifecycle implements SmartLifecycle, DisposableBean {

    /** Before the web server starts (lower phases start first) and after it stops (and stop last). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log logger = LogFactory.getLog(LbChannelsLifecycle.class);
    private static final Duration FORCED_TERMINATION_WAIT = Duration.ofSeconds(5);

    private final LiveChannels channels;
    private final ChannelFactory factory;
    private final CallbackExecutor executor;
    private final Duration connectTimeout;
    private final Duration gracePeriod;
    private volatile boolean running;

    LbChannelsLifecycle(LiveChannels channels, ChannelFactory factory, CallbackExecutor executor,
            Duration connectTimeout, Duration gracePeriod) {
        this.channels = channels;
        this.factory = factory;
        this.executor = executor;
        this.connectTimeout = connectTimeout;
        this.gracePeriod = gracePeriod;
    }

    /** The channels this lifecycle owns. */
    LiveChannels channels() {
        return channels;
    }

    /** How the channels were built; a refresh builds its new ones the same way. */
    ChannelFactory factory() {
        return factory;
    }

    @Override
    public void start() {
        running = true;
        LbChannels now = channels.view();
        Map<String, LbChannel> eager = new LinkedHashMap<>();
        now.asMap().forEach((name, channel) -> {
            if (now.connectsOnStartup(name)) {
                eager.put(name, channel);
            }
        });
        if (!eager.isEmpty()) {
            List<String> notReady = ReadyWait.await(eager, connectTimeout);
            if (!notReady.isEmpty()) {
                logger.warn("Channels not READY within lbchannel.startup.connect-timeout (" + connectTimeout
                        + "); they keep connecting: " + notReady);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        List<LbChannel> all = channels.close();
        for (LbChannel channel : all) {
            channel.shutdown();
        }
        awaitTermination(all, gracePeriod);
        List<String> forced = new ArrayList<>();
        for (LbChannel channel : all) {
            if (!channel.isTerminated()) {
                forced.add(channel.target());
                channel.shutdownNow();
            }
        }
        if (!forced.isEmpty()) {
            logger.warn("Calls still in flight after the shutdown grace period of " + gracePeriod
                    + " were cancelled on the channels for " + forced);
            awaitTermination(all, FORCED_TERMINATION_WAIT);
        }
        executor.shutdown();
    }

    /** Lets calls finish, or cancelled calls deliver their onClose before the callback executor goes away. */
    private static void awaitTermination(List<LbChannel> all, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            for (LbChannel channel : all) {
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
        for (LbChannel channel : channels.close()) {
            if (!channel.isTerminated()) {
                channel.shutdownNow();
            }
        }
        executor.shutdown();
    }
}
