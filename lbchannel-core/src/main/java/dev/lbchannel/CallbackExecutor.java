package dev.lbchannel;

import dev.lbchannel.transport.InboundBatch;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

/**
 * Runs one call's listener callbacks in order, one at a time, on the call's executor. With a
 * pool each burst of callbacks costs one task. With a {@linkplain DirectExecutor direct executor}
 * a callback runs at once on the thread that delivers it (the event loop) when no other callback
 * is running or waiting: no queue node, and through {@link #enterDirect()} not even a task
 * object. A callback delivered while another runs, on any thread, is queued and run by the
 * runner after it, never nested inside it.
 *
 * <p>Thread-safe and lock-free. The queue is created only when a callback first has to wait, as
 * most calls on a direct executor never need one. {@link ListenerDispatcher} extends it, so that
 * a call pays for one object, not two.
 */
class CallbackExecutor implements Executor, Runnable, InboundBatch.Deferred {

    private static final Logger logger = Logger.getLogger(CallbackExecutor.class.getName());
    private static final AtomicIntegerFieldUpdater<CallbackExecutor> RUNNING =
            AtomicIntegerFieldUpdater.newUpdater(CallbackExecutor.class, "running");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<CallbackExecutor, Queue> QUEUE =
            AtomicReferenceFieldUpdater.newUpdater(CallbackExecutor.class, Queue.class, "queue");

    private final Executor delegate;
    private final boolean direct;
    /** 1 while a runner owns the callbacks (a scheduled drain, or an inline callback), else 0. */
    private volatile int running;
    private volatile @Nullable Queue<Runnable> queue;

    CallbackExecutor(Executor delegate) {
        this.delegate = delegate;
        this.direct = DirectExecutor.isDirect(delegate);
    }

    @Override
    public void execute(Runnable task) {
        if (enterDirect()) {
            try {
                runSafely(task);
            } finally {
                exitDirect();
            }
            return;
        }
        queue().add(task);
        schedule();
    }

    /**
     * Takes the callbacks for an inline callback on this thread: true when the executor is
     * direct and no callback runs or waits (any that waited have run by the time this returns).
     * The caller then runs its callback, guarded as {@link #runSafely} does, and calls
     * {@link #exitDirect()}; on false it must {@link #execute} the callback instead.
     */
    boolean enterDirect() {
        if (!direct || !RUNNING.compareAndSet(this, 0, 1)) {
            return false;
        }
        drainQueued(); // queued by another thread before we took over: they come first
        return true;
    }

    /** Ends an inline callback: runs what was queued meanwhile, then lets go. */
    void exitDirect() {
        release();
    }

    /** Runs one callback, logging rather than propagating what it throws. */
    static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            listenerThrew(e);
        }
    }

    static void listenerThrew(RuntimeException e) {
        logger.log(Level.SEVERE, "A call listener threw; the call goes on", e);
    }

    private void schedule() {
        if (RUNNING.compareAndSet(this, 0, 1) && (direct || !InboundBatch.defer(this))) {
            submitDeferred();
        }
    }

    /** Hands the queued callbacks to the executor: now, or at the end of the socket read that delivered them. */
    @Override
    public void submitDeferred() {
        try {
            delegate.execute(this);
        } catch (RejectedExecutionException e) {
            // The application shut its executor down with calls still closing: run the
            // callbacks here rather than lose them, since every call must hear onClose.
            release();
        }
    }

    @Override
    public void run() {
        release();
    }

    /** Drains the queue as its owner, then gives up ownership, re-taking it for late arrivals. */
    private void release() {
        try {
            drainQueued();
        } finally {
            running = 0;
        }
        Queue<Runnable> waiting = queue;
        if (waiting != null && !waiting.isEmpty()) {
            schedule();
        }
    }

    private void drainQueued() {
        Queue<Runnable> waiting = queue;
        if (waiting == null) {
            return;
        }
        for (Runnable task; (task = waiting.poll()) != null; ) {
            runSafely(task);
        }
    }

    @SuppressWarnings("unchecked")
    private Queue<Runnable> queue() {
        Queue<Runnable> existing = queue;
        if (existing != null) {
            return existing;
        }
        Queue<Runnable> created = new ConcurrentLinkedQueue<>();
        return QUEUE.compareAndSet(this, null, created) ? created : (Queue<Runnable>) queue;
    }
}
