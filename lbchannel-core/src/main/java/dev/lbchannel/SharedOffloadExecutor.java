package dev.lbchannel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where every channel runs work that blocks, so that it never runs on an event loop or the
 * serializer, whatever executor the application gave: system host-name lookups of the
 * {@code static} resolver and of the transport (an unresolved {@code passthrough} address), the
 * local host name and DNS client set-up of the {@code dns} resolver. A cached pool of daemon
 * threads named {@code lbchannel-offload-N}, shared by every channel in the JVM, counted by them
 * and shut down gracefully (work already given still runs) when the last one terminates; it is
 * never the call executor. Thread-safe.
 */
final class SharedOffloadExecutor {

    static final String THREAD_PREFIX = "lbchannel-offload-";

    private static final AtomicInteger threadNumber = new AtomicInteger();
    private static final SharedResource<ExecutorService> POOL = new SharedResource<>(
            () -> new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    SharedOffloadExecutor::newThread),
            ExecutorService::shutdown);

    private SharedOffloadExecutor() {
    }

    static ExecutorService acquire() {
        return POOL.acquire();
    }

    static void release(ExecutorService released) {
        POOL.release(released);
    }

    /** How many channels use the pool now; for tests. */
    static int users() {
        return POOL.users();
    }

    private static Thread newThread(Runnable task) {
        Thread thread = new Thread(task, THREAD_PREFIX + threadNumber.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
