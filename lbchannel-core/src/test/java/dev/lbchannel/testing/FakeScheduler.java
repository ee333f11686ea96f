package dev.lbchannel.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on a fake clock for unit tests: nothing runs until {@link #forwardNanos} moves the
 * clock past a task's time, and nothing ever runs inline. Not for concurrent use.
 */
public final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;

    public long nowNanos() {
        return nowNanos;
    }

    /** Moves the clock and runs every task that came due, in time order. */
    public int forwardNanos(long nanos) {
        long target = nowNanos + nanos;
        int ran = 0;
        while (!tasks.isEmpty() && tasks.peek().dueNanos <= target) {
            Task task = tasks.poll();
            nowNanos = Math.max(nowNanos, task.dueNanos);
            if (!task.cancelled) {
                task.runnable.run();
                ran++;
            }
        }
        nowNanos = target;
        return ran;
    }

    public int forward(long value, TimeUnit unit) {
        return forwardNanos(unit.toNanos(value));
    }

    /** Delays of the pending tasks, from now, in time order. */
    public List<Long> pendingDelaysNanos() {
        List<Long> delays = new ArrayList<>();
        tasks.stream().filter(t -> !t.cancelled).sorted().forEach(t -> delays.add(t.dueNanos - nowNanos));
        return delays;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(command, nowNanos + unit.toNanos(delay), sequence++);
        tasks.add(task);
        return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException();
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable runnable;
        final long dueNanos;
        final long order;
        boolean cancelled;

        Task(Runnable runnable, long dueNanos, long order) {
            this.runnable = runnable;
            this.dueNanos = dueNanos;
            this.order = order;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task o = (Task) other;
            return dueNanos != o.dueNanos ? Long.compare(dueNanos, o.dueNanos) : Long.compare(order, o.order);
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled || dueNanos <= nowNanos;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
