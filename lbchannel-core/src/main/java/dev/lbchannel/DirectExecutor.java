package dev.lbchannel;

import java.util.concurrent.Executor;

/**
 * Runs each task at once on the calling thread. The one instance lets a call recognize that its
 * callbacks may run inline, without a queue node or a lambda per event (see
 * {@link CallbackExecutor}); {@link LbChannelBuilder#directExecutor()} installs it.
 */
enum DirectExecutor implements Executor {
    INSTANCE;

    /** Guava's {@code MoreExecutors.directExecutor()}, which grpc-java users pass; null without Guava. */
    private static final Class<?> GUAVA_DIRECT = guavaDirectExecutorClass();

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    /** Whether {@code executor} is known to run tasks on the calling thread at once. */
    static boolean isDirect(Executor executor) {
        return executor == INSTANCE || executor.getClass() == GUAVA_DIRECT;
    }

    private static Class<?> guavaDirectExecutorClass() {
        try {
            return Class.forName("com.google.common.util.concurrent.DirectExecutor", false,
                    DirectExecutor.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Void.class; // no executor is of this class
        }
    }

    @Override
    public String toString() {
        return "DirectExecutor";
    }
}
