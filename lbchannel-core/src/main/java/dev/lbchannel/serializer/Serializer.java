package dev.lbchannel.serializer;

import org.jspecify.annotations.Nullable;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * A channel's serializing executor: tasks run one at a time, in submission order, and never
 * concurrently with each other. Every resolver result, balancer call and subchannel state change
 * of a channel runs here, so balancers and listeners need no locks.
 *
 * <p>It owns no thread. {@link #execute} drains the queue on the caller's thread unless another
 * thread is already draining it, in which case that thread runs the task too. A task must
 * therefore never block, and a caller must never hold a lock that a task may need.
 */
public final class Serializer implements Executor {

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<@Nullable Thread> drainingThread = new AtomicReference<>();
    private final Thread.UncaughtExceptionHandler uncaughtExceptionHandler;

    /** @param uncaughtExceptionHandler hears a task's exception; the queue goes on draining */
    public Serializer(Thread.UncaughtExceptionHandler uncaughtExceptionHandler) {
        this.uncaughtExceptionHandler = requireNonNull(uncaughtExceptionHandler, "uncaughtExceptionHandler");
    }

    /** Queues {@code task} and drains the queue on this thread if no other thread is draining it. */
    @Override
    public void execute(Runnable task) {
        queue.add(requireNonNull(task, "task"));
        drain();
    }

    /** Queues {@code task} without draining; a later {@link #drain()} or {@link #execute} runs it. */
    public void executeLater(Runnable task) {
        queue.add(requireNonNull(task, "task"));
    }

    /** Runs queued tasks on this thread until the queue is empty, unless another thread drains. */
    public void drain() {
        Thread current = Thread.currentThread();
        do {
            if (!drainingThread.compareAndSet(null, current)) {
                return;
            }
            try {
                Runnable task;
                while ((task = queue.poll()) != null) {
                    try {
                        task.run();
                    } catch (Throwable t) {
                        uncaughtExceptionHandler.uncaughtException(current, t);
                    }
                }
            } finally {
                drainingThread.set(null);
            }
            // A task added between the last poll and the release would otherwise wait forever.
        } while (!queue.isEmpty());
    }

    /** Throws unless the calling thread is running a task of this serializer. */
    public void assertInContext() {
        if (drainingThread.get() != Thread.currentThread()) {
            throw new IllegalStateException("Not called from the channel's serializer");
        }
    }

    /**
     * Runs {@code task} in this serializer after {@code delay}. The timer fires on
     * {@code scheduler}, then hops in; cancelling the handle from inside the serializer
     * guarantees the task will not run.
     */
    public ScheduledHandle schedule(Runnable task, long delay, TimeUnit unit, ScheduledExecutorService scheduler) {
        ScheduledHandle handle = new ScheduledHandle(requireNonNull(task, "task"));
        handle.future = scheduler.schedule(() -> execute(handle), delay, unit);
        return handle;
    }

    /** A task scheduled with {@link #schedule}; cancel it from inside the serializer. */
    public static final class ScheduledHandle implements Runnable {
        private final Runnable task;
        private boolean done;
        private volatile @Nullable ScheduledFuture<?> future;

        private ScheduledHandle(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (!done) {
                done = true;
                task.run();
            }
        }

        /** Stops the task from running if it has not run yet. Call inside the serializer. */
        public void cancel() {
            done = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }

        /** Whether the task is still to run: neither ran nor was cancelled. */
        public boolean isPending() {
            return !done;
        }
    }
}
