package dev.lbchannel.demo.traffic;

import dev.lbchannel.demo.client.CallFailedException;
import dev.lbchannel.demo.client.GreeterClient;
import io.grpc.Status;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.SmartLifecycle;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends greetings at a steady rate, taking the channels in turn. A timer ticks at the rate and
 * hands each call to a small pool of workers, so a call waiting out its deadline (all backends
 * down) does not slow the ticks; a tick that finds every worker busy is skipped and counted. No
 * failure escapes a task (a scheduled task that throws is never run again): each is counted, and
 * logged only when a channel goes from answering to failing or back, so a stopped backend costs
 * one log line, not ten a second.
 *
 * <p>A {@link SmartLifecycle} in the last phase: it starts after the channels and the web server
 * and stops before them, interrupting calls in flight. Thread-safe.
 */
public final class TrafficGenerator implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(TrafficGenerator.class);
    private static final double MAX_RATE = 1000;
    private static final int WORKERS = 4;
    private static final long STOP_WAIT_SECONDS = 5;
    private static final String NAME = "traffic";

    private final GreeterClient client;
    private final List<String> channels;
    private final long periodNanos;
    private final AtomicLong next = new AtomicLong();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final Map<String, AtomicBoolean> failing = new ConcurrentHashMap<>();
    private @Nullable ScheduledExecutorService timer;
    private @Nullable ExecutorService workers;
    /** Set while stopping, when interrupted calls fail by design and are not worth a log line. */
    private volatile boolean stopping;

    /**
     * @throws InvalidConfigurationPropertyValueException when the rate is not in (0, 1000]
     */
    public TrafficGenerator(GreeterClient client, double rate) {
        if (!(rate > 0 && rate <= MAX_RATE)) {
            throw new InvalidConfigurationPropertyValueException("demo.traffic.rate", rate,
                    "Set calls per second above 0 and at most " + (int) MAX_RATE
                            + ", or demo.traffic.enabled=false to send none.");
        }
        this.client = client;
        this.channels = client.channels();
        this.periodNanos = Math.max(1, Math.round(TimeUnit.SECONDS.toNanos(1) / rate));
        channels.forEach(channel -> failing.put(channel, new AtomicBoolean()));
    }

    @Override
    public synchronized void start() {
        if (timer != null || channels.isEmpty()) {
            return;
        }
        stopping = false;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemon(NAME + "-call"), (task, executor) -> skipped.increment());
        pool.allowCoreThreadTimeOut(true);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(daemon(NAME + "-timer"));
        ticks.scheduleAtFixedRate(() -> tick(pool), 0, periodNanos, TimeUnit.NANOSECONDS);
        workers = pool;
        timer = ticks;
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService ticks = timer;
        ExecutorService pool = workers;
        if (ticks == null || pool == null) {
            return;
        }
        timer = null;
        workers = null;
        stopping = true;
        ticks.shutdownNow();
        pool.shutdownNow(); // Interrupting a blocking stub cancels its call.
        try {
            if (!ticks.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)
                    || !pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                logger.warn("Background traffic did not stop within " + STOP_WAIT_SECONDS + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    /** The counts so far. */
    public TrafficStats stats() {
        return new TrafficStats(succeeded.sum(), failed.sum(), skipped.sum());
    }

    /** Hands one call to a worker; the pool's rejection handler counts a tick no worker was free for. */
    private void tick(ExecutorService pool) {
        String channel = channels.get((int) Math.floorMod(next.getAndIncrement(), (long) channels.size()));
        pool.execute(() -> call(channel));
    }

    private void call(String channel) {
        try {
            client.greet(channel, NAME);
            succeeded.increment();
            if (failing.get(channel).compareAndSet(true, false)) {
                logger.info("Background traffic on channel '" + channel + "' is answered again");
            }
        } catch (CallFailedException e) {
            failed.increment();
            if (!stopping && failing.get(channel).compareAndSet(false, true)) {
                Status status = e.status();
                logger.warn("Background traffic on channel '" + channel + "' is failing: " + status.getCode()
                        + (status.getDescription() == null ? "" : " " + status.getDescription()));
            }
        } catch (RuntimeException e) {
            failed.increment();
            logger.warn("Background call on channel '" + channel + "' failed unexpectedly", e);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicLong count = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, "demo-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
