package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.config.HedgingPolicy;
import dev.lbchannel.config.RetryPolicy;
import dev.lbchannel.transport.RpcProgress;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How one call recovers from failed attempts (gRFC A6): decides, for each attempt that ended
 * without committing the call, whether a transparent retry, a retry after backoff or a hedge
 * follows, or whether the call ends; and keeps the timer of the next retry or hedge. Created for
 * a call the first time an attempt of it fails, or at its start when it hedges: most calls never
 * need one.
 *
 * <p>Runs under its {@link PreCommitStream}'s lock, which it shares ({@code "owner.lock"});
 * its timers hop back into the stream.
 */
final class AttemptRecovery {

    /** What follows a failed attempt. */
    enum Next {
        /** The call ends with the attempt's outcome. */
        END,
        /** An attempt was added and waits for a pick. */
        PICK,
        /** Nothing now: a timer, or other attempts in flight, will decide. */
        WAIT
    }

    private final PreCommitStream owner;
    private final LbChannel channel;
    private final CallPolicy policy;
    private final @Nullable HedgingAttempts hedging;
    private @Nullable RetryingAttempts retrying;
    private @Nullable TransparentRetry transparent;
    private @Nullable ScheduledFuture<?> timer;
    /** A hedged call's last failure: what it ends with when no attempt is left. */
    private @Nullable Status lastFailure;
    private @Nullable Metadata lastTrailers;

    AttemptRecovery(PreCommitStream owner, LbChannel channel, CallPolicy policy) {
        this.owner = owner;
        this.channel = channel;
        this.policy = policy;
        HedgingPolicy hedgingPolicy = policy.hedging();
        this.hedging = hedgingPolicy == null ? null : new HedgingAttempts(hedgingPolicy,
                Math.min(hedgingPolicy.maxAttempts(), channel.retryLimits().maxHedgedAttempts()), policy.throttle());
    }

    /** A hedged call started: the next hedge is due after {@code hedgingDelay}. */
    @GuardedBy("owner.lock")
    void startHedging() {
        if (hedging != null) {
            scheduleHedge(hedging.delayNanos());
        }
    }

    /**
     * {@code failed} ended without committing the call. Adds the attempt that follows (through
     * the owner) or schedules it, and says what the owner must do now.
     *
     * @param noAttemptLeft whether {@code failed} was the call's last attempt in flight
     */
    @GuardedBy("owner.lock")
    Next afterFailure(CallAttempt failed, Status status, RpcProgress progress, Metadata trailers, boolean noAttemptLeft) {
        if (progress != RpcProgress.COMPLETED && transparent().allows(progress)) {
            owner.wantAttemptLocked(failed.number, true);
            channel.attempts().transparentRetry();
            return Next.PICK;
        }
        if (policy.retry() != null) {
            return retryAfter(failed, status, trailers);
        }
        if (hedging != null) {
            return hedgeAfter(status, trailers, noAttemptLeft);
        }
        return Next.END;
    }

    /** The call is over or committed: no retry or hedge follows. */
    @GuardedBy("owner.lock")
    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private TransparentRetry transparent() {
        if (transparent == null) {
            transparent = new TransparentRetry();
        }
        return transparent;
    }

    private Next retryAfter(CallAttempt failed, Status status, Metadata trailers) {
        if (retrying == null) {
            RetryPolicy retryPolicy = policy.retry();
            retrying = new RetryingAttempts(retryPolicy,
                    Math.min(retryPolicy.maxAttempts(), channel.retryLimits().maxRetryAttempts()), policy.throttle());
        }
        long delay = retrying.onFailure(failed.number, status, trailers, failed.recvTimedOut,
                channel.attempts()::throttled);
        if (delay == RetryingAttempts.NO_RETRY) {
            return Next.END;
        }
        int number = failed.number + 1;
        timer = channel.scheduler().schedule(() -> owner.onRetryDue(number), delay, TimeUnit.NANOSECONDS);
        return Next.WAIT;
    }

    /** The backoff passed: the retry goes now unless the call ended meanwhile. */
    @GuardedBy("owner.lock")
    void retryDue(int number) {
        timer = null;
        owner.wantAttemptLocked(number, false);
        channel.attempts().retry();
    }

    private Next hedgeAfter(Status status, Metadata trailers, boolean noAttemptLeft) {
        long next = hedging.onFailure(status, trailers, channel.attempts()::throttled);
        if (next == HedgingAttempts.FATAL) {
            return Next.END;
        }
        lastFailure = status;
        lastTrailers = trailers;
        boolean pick = false;
        if (next == 0) {
            stop();
            pick = takeHedge();
        } else if (next > 0) {
            stop();
            scheduleHedge(next);
        } else if (!hedging.morePossible()) {
            stop();
        }
        if (pick) {
            return Next.PICK;
        }
        return noAttemptLeft && timer == null ? Next.END : Next.WAIT;
    }

    /**
     * The hedge timer fired: returns whether a hedge was added; when none was and nothing is in
     * flight, {@link #lastFailure()} is what the call ends with.
     */
    @GuardedBy("owner.lock")
    boolean hedgeDue() {
        timer = null;
        return takeHedge();
    }

    /** The status a hedged call ends with when its last attempt failed and no hedge follows. */
    @Nullable Status lastFailure() {
        return lastFailure;
    }

    Metadata lastTrailers() {
        return lastTrailers == null ? new Metadata() : lastTrailers;
    }

    /** Sends the next hedge now if the policy and throttle allow, and schedules the one after. */
    private boolean takeHedge() {
        if (!hedging.takeHedge(channel.attempts()::throttled)) {
            return false;
        }
        owner.wantAttemptLocked(hedging.lastNumber(), false);
        channel.attempts().hedge();
        scheduleHedge(hedging.delayNanos());
        return true;
    }

    private void scheduleHedge(long delayNanos) {
        if (hedging.morePossible()) {
            timer = channel.scheduler().schedule(owner::onHedgeDue, delayNanos, TimeUnit.NANOSECONDS);
        }
    }
}
