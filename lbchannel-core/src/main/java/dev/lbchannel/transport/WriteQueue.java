package dev.lbchannel.transport;

import io.netty.channel.EventLoop;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * Carries commands from any thread into one event loop and runs them in order, flushing the
 * connection once per batch rather than once per command. A burst of commands costs one task
 * submission: {@link #scheduleFlush()} schedules a drain only if none is pending.
 *
 * <p>A command issued on the event loop itself (a stream's {@code request(1)} from a callback, a
 * new call started from the previous one's {@code onClose}) need not queue at all when nothing is
 * queued ahead of it: {@link #isIdleInLoop()} lets the caller run it at once, then
 * {@link #flushAfterInline()} leaves the flush to the batch or read in progress, so that a burst of
 * such commands still costs one flush and no task.
 *
 * <p>Thread-safe and lock-free. Commands run on the event loop.
 */
final class WriteQueue {

    /** Commands run per flush, so that a flood from many threads still reaches the socket steadily. */
    private static final int MAX_COMMANDS_PER_FLUSH = 128;

    private static final Logger LOG = Logger.getLogger(WriteQueue.class.getName());

    private final EventLoop eventLoop;
    private final Runnable flush;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final BooleanSupplier flushComing;
    /** Event-loop confined: a batch is running, and will flush when it ends. */
    private boolean draining;

    /**
     * @param flush run on the event loop after each batch of commands
     * @param flushComing whether the event loop will flush anyway before it waits again (it is
     *     inside a read, whose end flushes); asked on the event loop only
     */
    WriteQueue(EventLoop eventLoop, Runnable flush, BooleanSupplier flushComing) {
        this.eventLoop = requireNonNull(eventLoop, "eventLoop");
        this.flush = requireNonNull(flush, "flush");
        this.flushComing = requireNonNull(flushComing, "flushComing");
    }

    /**
     * Whether the caller may run its command itself, now: it is on the event loop and no command
     * waits, so running it keeps the order commands were issued in. The caller then calls
     * {@link #flushAfterInline()}.
     */
    boolean isIdleInLoop() {
        return eventLoop.inEventLoop() && commands.isEmpty();
    }

    /** After a command ran inline: a flush follows soon, by the batch or read in progress or a scheduled one. */
    void flushAfterInline() {
        if (!draining && !flushComing.getAsBoolean()) {
            scheduleFlush();
        }
    }

    /** Queues {@code command} without scheduling; it runs with the next scheduled batch. */
    void enqueue(Runnable command) {
        commands.add(command);
    }

    /** Queues {@code command} and makes sure a batch is scheduled. */
    void enqueueAndFlush(Runnable command) {
        commands.add(command);
        scheduleFlush();
    }

    /** Schedules a batch unless one is already pending. */
    void scheduleFlush() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                eventLoop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                // The loop is gone (its channel terminated, or the application stopped its
                // group): nothing else will ever run these commands, which may hold buffers and
                // owe their streams a close, so they run here, with no loop left to race.
                drain();
            }
        }
    }

    private static void run(Runnable command) {
        try {
            command.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "Transport command failed", e);
        }
    }

    private void drain() {
        try {
            while (true) {
                int ran = 0;
                draining = true;
                try {
                    for (Runnable command; ran < MAX_COMMANDS_PER_FLUSH && (command = commands.poll()) != null; ran++) {
                        run(command);
                    }
                } finally {
                    // Writes made from inside the flush (promise listeners) are not covered by it.
                    draining = false;
                }
                flush.run();
                if (ran < MAX_COMMANDS_PER_FLUSH) {
                    break;
                }
            }
        } finally {
            scheduled.set(false);
            // A command queued after the last poll but before the reset would otherwise wait.
            if (!commands.isEmpty()) {
                scheduleFlush();
            }
        }
    }
}
