package dev.lbchannel;

import dev.lbchannel.config.HedgingPolicy;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * One call's hedging policy at work (gRFC A6 "Hedging Policy"): the first attempt goes at once,
 * another every {@code hedgingDelay} while none has answered, up to {@code maxAttempts}. A failed
 * attempt with a fatal status ends the call; a non-fatal one brings the next hedge forward to
 * now, or to the server's pushback, and a pushback that says not to retry stops further hedges.
 * Hedges wait while the channel's throttle is at or below its threshold, and then stop. When no
 * attempt is left in flight and none may follow, the call ends with the last failure.
 *
 * <p>Guarded by the call's lock.
 */
final class HedgingAttempts {

    /** The failed attempt ends the call. */
    static final long FATAL = -1;
    /** No hedge follows this failure; the call waits for the attempts still in flight. */
    static final long NO_HEDGE = -2;

    private final HedgingPolicy policy;
    private final int maxAttempts;
    private final @Nullable RetryThrottle throttle;
    private final long delayNanos;
    private int sent = 1;
    private boolean stopped;

    /** @param maxAttempts the policy's, capped by the channel's {@code maxHedgedAttempts} */
    HedgingAttempts(HedgingPolicy policy, int maxAttempts, @Nullable RetryThrottle throttle) {
        this.policy = policy;
        this.maxAttempts = maxAttempts;
        this.throttle = throttle;
        this.delayNanos = policy.hedgingDelay().toNanos();
    }

    long delayNanos() {
        return delayNanos;
    }

    /** Whether another hedge may still be sent. */
    boolean morePossible() {
        return !stopped && sent < maxAttempts;
    }

    /**
     * A hedge is due: whether to send it now. When it is, it is counted, and its attempt number
     * is {@link #lastNumber()}.
     *
     * @param throttled told when the throttle is what stopped it (hedging then stops for the call)
     */
    boolean takeHedge(Runnable throttled) {
        if (!morePossible()) {
            return false;
        }
        if (throttle != null && !throttle.isAboveThreshold()) {
            stopped = true;
            throttled.run();
            return false;
        }
        sent++;
        return true;
    }

    /** The attempt number of the hedge {@link #takeHedge} last allowed. */
    int lastNumber() {
        return sent - 1;
    }

    /**
     * An attempt failed with {@code status}: {@link #FATAL}, {@link #NO_HEDGE}, or the nanoseconds
     * until the next hedge (0 for at once).
     */
    long onFailure(Status status, Metadata trailers, Runnable throttled) {
        boolean fatal = !policy.nonFatalStatusCodes().contains(status.getCode());
        Integer pushback = Pushback.of(trailers);
        if (throttle != null && (!fatal || (pushback != null && pushback == Pushback.STOP))
                && !throttle.onQualifiedFailure()) {
            stopped = true;
            throttled.run();
        }
        if (fatal) {
            return FATAL;
        }
        if (pushback != null && pushback == Pushback.STOP) {
            stopped = true;
        }
        if (!morePossible()) {
            return NO_HEDGE;
        }
        return pushback == null ? 0 : pushback * 1_000_000L;
    }
}
