package dev.lbchannel;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor call callbacks run on when neither the call nor the builder names one: a cached
 * pool of daemon threads shared by every channel in the JVM, so a callback that blocks never
 * stalls an event loop.
 */
final class SharedExecutor {

    private static final Executor INSTANCE = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new DefaultThreadFactory("lbchannel-executor", true));

    private SharedExecutor() {
    }

    static Executor get() {
        return INSTANCE;
    }
}
