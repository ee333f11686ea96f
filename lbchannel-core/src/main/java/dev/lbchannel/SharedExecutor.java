package dev.lbchannel;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The executor call callbacks run on when neither the call nor the builder names one: a
 * {@link CallbackPool} of daemon threads shared by every channel in the JVM, so a callback that
 * blocks never stalls an event loop, and a burst of callbacks wakes one thread, not one each.
 * Counted by the channels that use it and shut down (gracefully: what it was given still runs)
 * when the last of them terminates. A callback that arrives after that, such as a late call's
 * close, is rejected, and {@link CallbackExecutor} then runs it on the delivering thread.
 * Thread-safe.
 */
final class SharedExecutor {

    private static final SharedResource<ExecutorService> POOL = new SharedResource<>(
            () -> new CallbackPool(new DefaultThreadFactory("lbchannel-executor", true), 60, TimeUnit.SECONDS),
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
