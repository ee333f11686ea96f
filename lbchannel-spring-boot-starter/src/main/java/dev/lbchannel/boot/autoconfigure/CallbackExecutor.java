package dev.lbchannel.boot.autoconfigure;

import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the channels run call callbacks ({@code ClientCall.Listener}) when a call names no
 * executor: a virtual thread per callback when {@code spring.threads.virtual.enabled} is on (Java
 * 21+), else a pool of at most {@code lbchannel.executor.max-threads} daemon threads with an
 * unbounded queue. Deliberately not a bean: an {@code Executor} bean would make Boot's own task
 * executor back off. Owned and shut down by {@link LbChannelsLifecycle}; thread-safe.
 */
final class CallbackExecutor {

    private static final String THREAD_PREFIX = "lbchannel-callback-";

    private final Executor executor;
    private final Runnable shutdown;

    private CallbackExecutor(Executor executor, Runnable shutdown) {
        this.executor = executor;
        this.shutdown = shutdown;
    }

    static CallbackExecutor create(Environment environment, int maxThreads) {
        if (Threading.VIRTUAL.isActive(environment)) {
            return new CallbackExecutor(new VirtualThreadTaskExecutor(THREAD_PREFIX), () -> { });
        }
        if (maxThreads <= 0) {
            throw new LbChannelConfigurationException("lbchannel.executor.max-threads", maxThreads,
                    "The callback executor needs at least one thread", "Set lbchannel.executor.max-threads to 1 or more.");
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(maxThreads, maxThreads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DaemonThreads());
        pool.allowCoreThreadTimeOut(true);
        return new CallbackExecutor(pool, pool::shutdown);
    }

    Executor executor() {
        return executor;
    }

    /** Lets queued callbacks run, then stops the threads; for after the channels have terminated. */
    void shutdown() {
        shutdown.run();
    }

    boolean isVirtual() {
        return !(executor instanceof ExecutorService);
    }

    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, THREAD_PREFIX + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
