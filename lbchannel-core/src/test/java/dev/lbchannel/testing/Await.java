package dev.lbchannel.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it, never longer than a bound; tests never sleep blindly. */
public final class Await {

    private static final Duration DEFAULT_BOUND = Duration.ofSeconds(20);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_BOUND, condition);
    }

    public static void until(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                AssertionError timedOut = new AssertionError("Timed out after " + bound + " waiting for: " + what);
                timedOut.addSuppressed(threadDump());
                throw timedOut;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for: " + what, e);
            }
        }
    }

    /**
     * What every thread was doing when a wait timed out: a condition that never came true is
     * most often a callback or a task stuck somewhere, which the report should show, not hide.
     */
    private static Throwable threadDump() {
        StringBuilder dump = new StringBuilder("Threads at the timeout:");
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            dump.append("\n\"").append(thread.getName()).append("\" ").append(thread.getState());
            for (int i = 0; i < Math.min(frames.length, 16); i++) {
                dump.append("\n    at ").append(frames[i]);
            }
        });
        Throwable threads = new Throwable(dump.toString());
        threads.setStackTrace(new StackTraceElement[0]);
        return threads;
    }
}
