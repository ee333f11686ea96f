package dev.lbchannel.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The call chains a closed-loop client still has running, so that stopping it can wait for the
 * last calls to end before the channel closes under them. Thread-safe: chains end on the
 * channel's threads, the harness waits on its own.
 */
public final class OutstandingCalls {

    private final AtomicInteger chains = new AtomicInteger();

    public void started() {
        chains.incrementAndGet();
    }

    public void ended() {
        chains.decrementAndGet();
    }

    /** Polls until no chain runs; false if some still did after {@code timeout}. */
    public boolean awaitNone(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (chains.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
