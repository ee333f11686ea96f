package dev.lbchannel;

import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When one call must end: the earlier of its {@code CallOptions} deadline and its context's, and
 * the timer that cancels it then. Thread-safe.
 */
final class CallDeadline {

    /** Shared by every call without a deadline: it has no timer to hold. */
    private static final CallDeadline NONE = new CallDeadline(null);

    private final @Nullable Deadline deadline;
    private volatile @Nullable ScheduledFuture<?> timer;

    private CallDeadline(@Nullable Deadline deadline) {
        this.deadline = deadline;
    }

    static CallDeadline of(CallOptions callOptions, Context context) {
        Deadline call = callOptions.getDeadline();
        Deadline inherited = context.getDeadline();
        if (call == null && inherited == null) {
            return NONE;
        }
        return new CallDeadline(call == null ? inherited : inherited == null ? call : call.minimum(inherited));
    }

    boolean isSet() {
        return deadline != null;
    }

    boolean isExpired() {
        return deadline != null && deadline.isExpired();
    }

    /** Nanoseconds left (at least 1) for {@code grpc-timeout}, or -1 without a deadline. */
    long remainingNanos() {
        return deadline == null ? -1 : Math.max(1, deadline.timeRemaining(TimeUnit.NANOSECONDS));
    }

    /** Runs {@code onExpiry} on {@code scheduler} when the deadline passes. Call once. */
    void arm(ScheduledExecutorService scheduler, Runnable onExpiry) {
        if (deadline != null) {
            timer = scheduler.schedule(onExpiry, deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
        }
    }

    void disarm() {
        ScheduledFuture<?> armed = timer;
        if (armed != null) {
            armed.cancel(false);
        }
    }

    /**
     * The status the application sees for a stream that ended with {@code status}: a server that
     * enforces our {@code grpc-timeout} resets the stream with CANCEL, which to the application
     * is its deadline passing, as in every gRPC client. (Our own cancels name their own status.)
     */
    Status explain(Status status) {
        return status.getCode() == Status.Code.CANCELLED && isExpired()
                ? Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded; the server cancelled the call")
                : status;
    }
}
