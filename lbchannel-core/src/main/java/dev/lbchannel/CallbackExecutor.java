package dev.lbchannel;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one call's listener callbacks in order, one at a time, on the call's executor. With a
 * direct executor they run on the thread that delivers them (the event loop), which is the
 * fastest path; with a pool each burst of callbacks costs one task.
 */
final class CallbackExecutor implements Executor, Runnable {

    private static final Logger logger = Logger.getLogger(CallbackExecutor.class.getName());

    private final Executor delegate;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    CallbackExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                delegate.execute(this);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                throw e;
            }
        }
    }

    @Override
    public void run() {
        try {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    logger.log(Level.SEVERE, "A call listener threw; the call goes on", e);
                }
            }
        } finally {
            scheduled.set(false);
        }
        if (!queue.isEmpty()) {
            schedule();
        }
    }
}
