package dev.lbchannel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request messages that calls with a retry or hedging policy keep for replay, over
 * the whole channel (gRFC A6 "Memory Management"): a call that would take more than the channel's
 * {@code retryBufferSize} commits to its current attempt instead. Thread-safe and lock-free.
 */
final class RetryBuffer {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    RetryBuffer(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit under the limit; false, taking nothing, if not. */
    boolean tryReserve(long bytes) {
        long before;
        do {
            before = used.get();
            if (before + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(before, before + bytes));
        return true;
    }

    void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }

    long used() {
        return used.get();
    }
}
