package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.transport.RpcProgress;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * The call's pre-commit state: what one call holds until it commits to an attempt (gRFC A6) —
 * its attempts, the messages it sent for replay, whether it was cancelled or decided — and the
 * transitions every path shares: commit, end, and telling the call its outcome. The events that
 * drive it are its subclass {@link PreCommitStream}'s; kept apart so that each reads on its own,
 * in one object, so a call allocates nothing more for it.
 */
abstract class PreCommitState implements PickArgs {

    final ChannelCall<?, ?> call;
    final LbChannel channel;
    final MethodDescriptor<?, ?> method;
    final CallOptions callOptions;
    final Metadata headers;
    final CallDeadline deadline;
    final CallPolicy policy;
    final boolean traced;
    /** The attempts still going, and the lock of everything here. */
    final AttemptSet lock;

    @GuardedBy("lock")
    final OutboundBuffer outbound;
    /** Committed, perhaps before any attempt had a stream (the replay buffer overflowed). */
    @GuardedBy("lock")
    boolean committed;
    @GuardedBy("lock")
    @Nullable Status cancelStatus;
    @GuardedBy("lock")
    boolean readyDeferred;
    @GuardedBy("lock")
    private @Nullable AttemptRecovery recovery;
    /** The attempt whose end ended the call, if one did: its connection's attributes stay the call's. */
    @GuardedBy("lock")
    @Nullable CallAttempt endedOn;
    /** The outcome was decided; written under the lock. */
    volatile boolean done;
    /** The PickerHolder parked this stream at least once; only then must its end unpark it. */
    volatile boolean everParked;

    PreCommitState(ChannelCall<?, ?> call, LbChannel channel, MethodDescriptor<?, ?> method,
            CallOptions callOptions, Metadata headers, CallDeadline deadline, CallPolicy policy) {
        this.call = call;
        this.channel = channel;
        this.method = method;
        this.callOptions = callOptions;
        this.headers = headers;
        this.deadline = deadline;
        this.policy = policy;
        this.traced = !callOptions.getStreamTracerFactories().isEmpty();
        this.outbound = new OutboundBuffer(traced);
        this.lock = new AttemptSet(new CallAttempt(self(), 0, false));
    }

    private PreCommitStream self() {
        return (PreCommitStream) this;
    }

    /** Whether nothing more may start: the outcome is decided, or a cancel is under way. */
    @GuardedBy("lock")
    final boolean overLocked() {
        return done || cancelStatus != null;
    }

    /** Adds an attempt that waits for a pick; for the recovery. */
    @GuardedBy("lock")
    final void wantAttemptLocked(int number, boolean transparent) {
        lock.want(new CallAttempt(self(), number, transparent));
    }

    /** Asks the picker holder for a subchannel for the attempts waiting; never under the lock. */
    final void pickNext() {
        channel.pickerHolder().pickOrPark(self());
    }

    @GuardedBy("lock")
    final AttemptRecovery recoveryLocked() {
        if (recovery == null) {
            recovery = new AttemptRecovery(self(), channel, policy);
        }
        return recovery;
    }

    /** The channel's replay buffer, which only calls with a retry or hedging policy share. */
    final @Nullable RetryBuffer channelBuffer() {
        return policy.retry() == null && policy.hedging() == null ? null : channel.retryBuffer();
    }

    /** The call sent more than its replay buffer takes: it commits to the oldest open attempt, if any. */
    @GuardedBy("lock")
    final void commitOnOverflowLocked() {
        committed = true;
        CallAttempt open = lock.firstOpen();
        if (open != null) {
            commitLocked(open);
        }
    }

    /** Commits to {@code winner}: the replay buffer goes, every other attempt is cancelled, none follows. */
    @GuardedBy("lock")
    final void commitLocked(CallAttempt winner) {
        committed = true;
        outbound.release(channelBuffer());
        stopRecoveryLocked();
        lock.commitTo(winner);
    }

    /** No retry or hedge follows: their timer, if any, is cancelled. */
    @GuardedBy("lock")
    final void stopRecoveryLocked() {
        if (recovery != null) {
            recovery.stop();
        }
    }

    /** The outcome is decided: nothing more starts, and what is left is cancelled. */
    @GuardedBy("lock")
    final void endLocked() {
        done = true;
        stopRecoveryLocked();
        outbound.release(channelBuffer());
        lock.clear();
    }

    /** Ends with an attempt's own outcome, unless {@code outcome} already replaced it (a cancel). */
    final void finishWith(Status outcome, Metadata trailers, RpcProgress progress, Status attemptStatus) {
        if (outcome != attemptStatus) {
            finish(outcome, trailers, false);
            return;
        }
        Status explained = deadline.explain(attemptStatus);
        finish(explained, trailers, progress == RpcProgress.COMPLETED && explained == attemptStatus);
    }

    /** Tells the call the outcome; once, outside the lock, by the thread that decided it. */
    final void finish(Status status, Metadata trailers, boolean answered) {
        if (status.isOk() && policy.throttle() != null) {
            policy.throttle().onSuccess();
        }
        if (everParked) {
            channel.pickerHolder().remove(self());
        }
        if (callOptions.getCredentials() != null) {
            channel.awaitingCredentials().remove(self());
        }
        call.streamClosed(status, trailers, answered);
    }

    /** Whether an onReady that came while this thread held the lock is now due. */
    @GuardedBy("lock")
    final boolean takeDeferredReadyLocked() {
        boolean ready = readyDeferred && !done;
        readyDeferred = false;
        return ready;
    }

    // ---- PickArgs ----

    @Override
    public final MethodDescriptor<?, ?> method() {
        return method;
    }

    @Override
    public final Metadata headers() {
        return headers;
    }

    @Override
    public final CallOptions callOptions() {
        return callOptions;
    }

    @Override
    public String toString() {
        return "PreCommitStream{" + method.getFullMethodName() + "}";
    }
}
