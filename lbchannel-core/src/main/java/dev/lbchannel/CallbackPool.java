package dev.lbchannel;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static java.util.Objects.requireNonNull;

/**
 * The pool behind {@link SharedExecutor}: as many threads as callbacks need, like a cached thread
 * pool, but one that wakes a thread only when no thread is already awake looking for work.
 *
 * <p>Why: a cached pool (grpc-java's default, and ours before) hands every task to a thread of its
 * own, so a read that completes twenty calls wakes twenty threads, each a futex call and a context
 * switch; on a busy core that hop costs more than the call. Here tasks go into one queue, and a
 * submitter wakes a parked thread (or starts one) only when no thread is <em>searching</em>, that
 * is awake and about to look at the queue. The twenty tasks then cost one wake-up, and the woken
 * thread runs them back to back.
 *
 * <p>A callback may block (on a lock, a future, another blocking call), so a thread that takes a
 * task while more wait makes sure, before it runs it, that another thread is searching: tasks
 * never wait behind a blocked one, as in a cached pool, and a callback that waits for another
 * callback cannot deadlock. Idle threads park, the most recently parked first reused, and retire
 * after the keep-alive. Thread-safe and lock-free on the task path.
 */
final class CallbackPool extends AbstractExecutorService {

    private final ThreadFactory threadFactory;
    private final long keepAliveNanos;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Parked workers, the most recently parked first. */
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    /** Workers awake and about to poll the queue (woken or started on their behalf included). */
    private final AtomicInteger searching = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final Object termination = new Object();
    private volatile boolean shutdown;

    CallbackPool(ThreadFactory threadFactory, long keepAlive, TimeUnit unit) {
        this.threadFactory = requireNonNull(threadFactory, "threadFactory");
        this.keepAliveNanos = unit.toNanos(keepAlive);
    }

    @Override
    public void execute(Runnable task) {
        requireNonNull(task, "task");
        if (shutdown) {
            throw new RejectedExecutionException("The callback pool is shut down");
        }
        tasks.add(task);
        signal();
    }

    /**
     * Makes sure a worker is searching: if none is, wakes the most recently parked one or starts
     * one, counted as searching on its behalf. Called after a task was queued; a worker that stops
     * searching re-checks the queue after saying so, so a task is never left with no one to see it.
     */
    private void signal() {
        if (searching.get() > 0 || !searching.compareAndSet(0, 1)) {
            return;
        }
        Worker parked = idle.pollFirst();
        if (parked != null) {
            parked.wake();
        } else if (!startWorker()) {
            searching.decrementAndGet();
        }
    }

    private boolean startWorker() {
        Worker worker = new Worker();
        Thread thread = threadFactory.newThread(worker);
        if (thread == null) {
            return false;
        }
        worker.thread = thread;
        live.incrementAndGet();
        thread.start();
        return true;
    }

    /** A worker's life: search, run what it finds, park when there is nothing, retire when idle long enough. */
    private final class Worker implements Runnable {

        volatile @Nullable Thread thread;
        private volatile boolean woken;

        void wake() {
            woken = true;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            try {
                // Started as a searcher.
                while (true) {
                    Runnable task = tasks.poll();
                    if (task != null) {
                        runFound(task);
                        searching.incrementAndGet();
                        continue;
                    }
                    searching.decrementAndGet();
                    if (!tasks.isEmpty()) {
                        searching.incrementAndGet();
                        continue;
                    }
                    if (!parkUntilWoken()) {
                        return;
                    }
                }
            } finally {
                if (live.decrementAndGet() == 0 && shutdown) {
                    synchronized (termination) {
                        termination.notifyAll();
                    }
                }
            }
        }

        /** Runs a task this searcher found, making sure another searches meanwhile if tasks wait. */
        private void runFound(Runnable task) {
            if (searching.decrementAndGet() == 0 && !tasks.isEmpty()) {
                signal();
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, e);
            }
        }

        /**
         * Parks until a submitter wakes this worker (it then searches, already counted), or the
         * keep-alive passes or the pool shuts down with nothing left to run (false: retire).
         */
        private boolean parkUntilWoken() {
            if (shutdown) {
                return false;
            }
            woken = false;
            idle.addFirst(this);
            long deadline = System.nanoTime() + keepAliveNanos;
            while (!woken) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || shutdown) {
                    if (idle.remove(this)) {
                        return false;
                    }
                    // A submitter took it off the idle list just now and is about to wake it.
                    while (!woken) {
                        Thread.onSpinWait();
                    }
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        }
    }

    /** Runs what was queued, then lets every thread end; new tasks are rejected. */
    @Override
    public void shutdown() {
        shutdown = true;
        for (Worker parked; (parked = idle.pollFirst()) != null; ) {
            // Woken as a searcher, it drains what is left, then sees the shutdown and retires.
            searching.incrementAndGet();
            parked.wake();
        }
        if (!tasks.isEmpty()) {
            signal();
        }
        if (live.get() == 0) {
            synchronized (termination) {
                termination.notifyAll();
            }
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> unrun = new ArrayList<>();
        for (Runnable task; (task = tasks.poll()) != null; ) {
            unrun.add(task);
        }
        return unrun;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && live.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (termination) {
            while (!isTerminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(termination, left);
            }
            return true;
        }
    }

    /** Threads alive now; for tests. */
    int threads() {
        return live.get();
    }
}
