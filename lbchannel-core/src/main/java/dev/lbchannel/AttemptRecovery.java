package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.config.HedgingPolicy;
import dev.lbchannel.config.RetryPolicy;
import dev.lbchannel.transport.ClientStream;
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
 * <p>Runs under its {@link PreCommitStream}'s lock, which it shares ({@code "owner.lock"}); its
 * timers take that lock, and ask the picker holder for a subchannel once they let go of it.
 */
final class AttemptRecovery {

    private static final Status RECEIVE_TIMEOUT =
            Status.DEADLINE_EXCEEDED.withDescription("The attempt's receive timeout passed (perAttemptRecvTimeout)");

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

    /** {@code attempt}'s stream opened: it has {@code perAttemptRecvTimeout} to receive response headers. */
    @GuardedBy("owner.lock")
    void startReceiveTimeout(CallAttempt attempt) {
        attempt.recvTimer = channel.scheduler().schedule(() -> onRecvTimeout(attempt),
                policy.retry().perAttemptRecvTimeout().toNanos(), TimeUnit.NANOSECONDS);
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
        timer = channel.scheduler().schedule(() -> onRetryDue(number), delay, TimeUnit.NANOSECONDS);
        return Next.WAIT;
    }

    /** A retry's backoff passed: the retry goes now unless the call ended meanwhile. */
    private void onRetryDue(int number) {
        synchronized (owner.lock) {
            if (owner.overLocked()) {
                return;
            }
            timer = null;
            owner.wantAttemptLocked(number, false);
            channel.attempts().retry();
        }
        owner.pickNext();
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
     * The hedge timer fired: the next hedge goes, if the policy and throttle allow; when none does
     * and nothing is in flight, the call ends with its last failure.
     */
    private void onHedgeDue() {
        Status failure;
        Metadata trailers;
        synchronized (owner.lock) {
            if (owner.overLocked() || owner.lock.committed() != null) {
                return;
            }
            timer = null;
            if (takeHedge()) {
                failure = null;
                trailers = null;
            } else if (owner.lock.isEmpty() && lastFailure != null) {
                failure = lastFailure;
                trailers = lastTrailers;
                owner.endLocked();
            } else {
                return;
            }
        }
        if (failure == null) {
            owner.pickNext();
        } else {
            owner.finish(failure, trailers, false);
        }
    }

    /** {@code attempt}'s receive timeout passed before its response headers: its stream is cancelled. */
    private void onRecvTimeout(CallAttempt attempt) {
        ClientStream stream;
        synchronized (owner.lock) {
            if (!attempt.linked || owner.lock.committed() != null || attempt.stream == null) {
                return;
            }
            attempt.recvTimer = null;
            attempt.recvTimedOut = true;
            stream = attempt.stream;
        }
        stream.cancel(RECEIVE_TIMEOUT); // outside the lock: its close comes back as the attempt's end
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
            timer = channel.scheduler().schedule(this::onHedgeDue, delayNanos, TimeUnit.NANOSECONDS);
        }
    }
}
