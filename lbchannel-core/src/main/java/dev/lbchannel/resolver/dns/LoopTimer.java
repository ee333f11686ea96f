package dev.lbchannel.resolver.dns;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot timer that waits on a scheduler and then runs its task on an event loop. At most one
 * firing is pending; scheduling again replaces it.
 *
 * <p>Threading: confined to the loop; call every method there. A firing that was cancelled or
 * replaced after the scheduler had already handed it to the loop notices and does nothing.
 */
final class LoopTimer {

    private final ScheduledExecutorService scheduler;
    private final Executor loop;
    private @Nullable ScheduledFuture<?> future;
    /** Identifies the current firing; a firing whose token is no longer current is stale. */
    private @Nullable Object token;

    LoopTimer(ScheduledExecutorService scheduler, Executor loop) {
        this.scheduler = scheduler;
        this.loop = loop;
    }

    /** Runs {@code task} on the loop after {@code delayNanos}, replacing any pending firing. */
    void schedule(Runnable task, long delayNanos) {
        cancel();
        Object mine = new Object();
        token = mine;
        Runnable fire = () -> {
            if (token == mine) {
                token = null;
                future = null;
                task.run();
            }
        };
        try {
            future = scheduler.schedule(() -> executeOnLoop(fire), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The channel's scheduler is shutting down, and with it everything this timer serves.
            token = null;
        }
    }

    boolean isPending() {
        return token != null;
    }

    void cancel() {
        token = null;
        if (future != null) {
            future.cancel(false);
            future = null;
        }
    }

    private void executeOnLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down; its resolver is going away with it.
        }
    }
}
