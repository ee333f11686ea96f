package dev.lbchannel;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor call callbacks run on when neither the call nor the builder names one: a cached
 * pool of daemon threads shared by every channel in the JVM, so a callback that blocks never
 * stalls an event loop. Counted by the channels that use it and shut down (gracefully: what it
 * was given still runs) when the last of them terminates. A callback that arrives after that,
 * such as a late call's close, is rejected, and {@link CallbackExecutor} then runs it on the
 * delivering thread. Thread-safe.
 */
final class SharedExecutor {

    private static final SharedResource<ExecutorService> POOL = new SharedResource<>(
            () -> new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    new DefaultThreadFactory("lbchannel-executor", true)),
            ExecutorService::shutdown);

    private SharedExecutor() {
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
}
