package dev.lbchannel.testing;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * Runs tasks at once, on the submitting thread, until {@link #stall()}; from then on it only
 * queues them, like an application pool that is stuck, until the test runs or forgets them.
 */
public final class StallingExecutor implements Executor {
    private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
    private volatile boolean stalled;

    public void stall() {
        stalled = true;
    }

    public void forgetHeldTasks() {
        held.clear();
    }

    /** Runs what was held, here, and stops stalling. */
    public void runHeldTasks() {
        stalled = false;
        for (Runnable task; (task = held.poll()) != null; ) {
            task.run();
        }
    }

    @Override
    public void execute(Runnable task) {
        if (stalled) {
            held.add(task);
        } else {
            task.run();
        }
    }
}
