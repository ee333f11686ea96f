package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.RpcProgress;
import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import java.io.InputStream;
import java.util.List;

/**
 * The call's pre-commit stream: one call's stream as the call sees it, made of one or more
 * {@link CallAttempt}s until the call commits to one (gRFC A6). It asks the {@link PickerHolder}
 * for a subchannel per attempt, applies the call's credentials, opens the attempt's stream, and
 * keeps what the call sent in an {@link OutboundBuffer} so that another attempt can replay it;
 * which attempt follows a failed one is its {@link AttemptRecovery}'s decision. The call commits
 * to an attempt when its response headers arrive, or when what it sent outgrows the per-call or
 * channel-wide replay buffer; then the other attempts are cancelled and no more start.
 *
 * <p>Its state ({@link PreCommitState}) is guarded by a small lock until the call commits;
 * afterwards the application's calls go straight to the committed attempt's stream through one
 * volatile read. A call that never fails
 * has one attempt and takes the lock once to open it. It tells its {@link ChannelCall} the
 * outcome exactly once, whatever races it.
 */
final class PreCommitStream extends PreCommitState {

    PreCommitStream(ChannelCall<?, ?> call, LbChannel channel, MethodDescriptor<?, ?> method,
            CallOptions callOptions, Metadata headers, CallDeadline deadline, CallPolicy policy) {
        super(call, channel, method, callOptions, headers, deadline, policy);
    }

    /** Picks a subchannel and opens the first attempt, or parks until a picker can serve it. */
    void start() {
        if (policy.hedging() != null) {
            synchronized (lock) {
                recoveryLocked().startHedging();
            }
        }
        pickNext();
    }

    /** The PickerHolder parked this stream; under its lock. */
    void parked() {
        everParked = true;
    }

    /** Whether an attempt waits for a subchannel; a parked stream that wants none is forgotten. */
    boolean wantsPick() {
        return lock.wantsPick();
    }

    // ---- From the PickerHolder (any thread, never under the lock) ----

    /**
     * A picker chose {@code subchannel}, READY on {@code transport}, for the oldest attempt
     * waiting; {@code outcome}, if any, hears how that attempt ends.
     */
    void startAttempt(DefaultSubchannel subchannel, ClientTransport transport, @Nullable CallOutcomeListener outcome) {
        String authority = callOptions.getAuthority();
        CallCredentials credentials = callOptions.getCredentials();
        CallAttempt next;
        boolean ready = false;
        synchronized (lock) {
            next = done ? null : lock.takeWaiting();
            if (next == null) {
                return;
            }
            next.picked(subchannel, transport, outcome);
            if (authority == null && credentials == null) {
                ready = openLocked(next, next.headers(headers)); // the common case: picked and opened under one lock
                next = null;
            }
        }
        if (next == null) {
            if (ready) {
                call.streamReady();
            }
            return;
        }
        Status unverified = authority == null ? null : transport.verifyAuthority(authority);
        if (unverified != null) {
            attemptEnded(next, unverified, RpcProgress.PROCESSED, new Metadata());
        } else if (credentials == null) {
            openAttempt(next, next.headers(headers));
        } else {
            AttemptCredentials.apply(credentials, this, next, method, callOptions, next.headers(headers), channel);
        }
    }

    /** A fail-fast pick failed with {@code status}: the oldest waiting attempt failed (A6: the policy decides). */
    void pickFailed(Status status) {
        CallAttempt failed;
        synchronized (lock) {
            failed = done ? null : lock.takeWaiting();
            if (failed == null) {
                return;
            }
        }
        attemptEnded(failed, status, RpcProgress.PROCESSED, new Metadata());
    }

    /** Ends the call with {@code status} whatever its attempts are doing: a drop, or a picker that threw. */
    void fail(Status status) {
        synchronized (lock) {
            if (done) {
                return;
            }
            endLocked();
        }
        finish(status, new Metadata(), false);
    }

    /** Opens {@code source}'s stream once its credentials answered, unless the call moved on. Any thread. */
    void openAttempt(CallAttempt source, Metadata attemptHeaders) {
        boolean ready;
        synchronized (lock) {
            ready = openLocked(source, attemptHeaders);
        }
        if (ready) {
            call.streamReady();
        }
    }

    /** Opens {@code source}'s stream and replays into it; returns whether a deferred onReady is due. */
    @GuardedBy("lock")
    private boolean openLocked(CallAttempt source, Metadata attemptHeaders) {
        if (done || !source.linked || cancelStatus != null) {
            return false;
        }
        // Our own non-blocking stream, called under the lock to keep the replay in order.
        ClientStream stream = source.open(method, attemptHeaders, callOptions, traced, policy.hedging() != null,
                deadline.remainingNanos());
        outbound.replayInto(stream, source.tracers);
        if (committed && lock.committed() == null) {
            commitLocked(source);
        }
        if (policy.retry() != null && policy.retry().perAttemptRecvTimeout() != null && lock.committed() == null) {
            recoveryLocked().startReceiveTimeout(source);
        }
        return takeDeferredReadyLocked();
    }

    /** Whether the outcome was decided. */
    boolean isDone() {
        return done;
    }

    // ---- From the call (the application's thread; cancel and request from any) ----

    void request(int numMessages) {
        CallAttempt committedTo = lock.committed();
        if (committedTo != null) {
            committedTo.stream.request(numMessages);
            return;
        }
        synchronized (lock) {
            outbound.addRequest(numMessages);
            lock.request(numMessages);
        }
    }

    /** Sends one framed message, taking ownership of it. */
    void writeMessage(ByteBuf framed, int uncompressedBytes) {
        CallAttempt committedTo = lock.committed();
        if (committedTo != null) {
            AttemptSet.write(committedTo.stream, framed, committedTo.tracers, uncompressedBytes, flushes());
            return;
        }
        boolean ready;
        synchronized (lock) {
            if (done || cancelStatus != null) {
                framed.release();
                return;
            }
            if (!committed && !outbound.fits(framed.readableBytes(), channel.retryLimits().perRpcBufferLimit(),
                    channelBuffer())) {
                commitOnOverflowLocked();
            }
            committedTo = lock.committed();
            if (committedTo != null) {
                AttemptSet.write(committedTo.stream, framed, committedTo.tracers, uncompressedBytes, flushes());
            } else if (lock.firstOpen() == null) {
                outbound.addMessage(framed, uncompressedBytes); // the first attempt to open replays it
            } else {
                outbound.addMessage(framed.retain(), uncompressedBytes); // the same buffer: it notes the bounds
                lock.writeToOpen(framed, uncompressedBytes, flushes());
            }
            ready = takeDeferredReadyLocked();
        }
        if (ready) {
            call.streamReady();
        }
    }

    /** Whether each message is flushed at once: not when one message and the half-close follow together. */
    private boolean flushes() {
        return !call.sendsOneMessage();
    }

    void halfClose() {
        CallAttempt committedTo = lock.committed();
        if (committedTo != null) {
            committedTo.stream.halfClose();
            return;
        }
        synchronized (lock) {
            outbound.halfClose();
            if (!done) {
                lock.halfClose();
            }
        }
    }

    boolean isReady() {
        CallAttempt committedTo = lock.committed();
        if (committedTo != null) {
            return committedTo.stream.isReady();
        }
        synchronized (lock) {
            return !done && lock.isReady();
        }
    }

    /** The attributes of the connection the call is on, or empty before it has one. */
    Attributes attributes() {
        CallAttempt committedTo = lock.committed();
        if (committedTo != null) {
            return committedTo.transport.attributes();
        }
        synchronized (lock) {
            if (lock.isEmpty() && endedOn != null && endedOn.transport != null) {
                return endedOn.transport.attributes(); // as grpc-java, a call closed by an attempt keeps its connection's
            }
            return lock.attributes();
        }
    }

    /**
     * Ends the call with {@code status}: every attempt's stream is reset (the last close then
     * carries this status), or the call, waiting for a pick, credentials or its next attempt,
     * ends at once.
     *
     * @return false when the outcome was already decided, so nothing was cancelled
     */
    boolean cancel(Status status) {
        List<ClientStream> open;
        synchronized (lock) {
            if (done || cancelStatus != null) {
                return !done;
            }
            cancelStatus = status;
            stopRecoveryLocked();
            open = lock.cancelling();
            if (open.isEmpty()) {
                endLocked();
            }
        }
        if (open.isEmpty()) {
            finish(status, new Metadata(), false);
        }
        for (ClientStream stream : open) {
            stream.cancel(status); // outside the lock: the last close ends the call, and tells the application
        }
        return true;
    }

    /** Whether the call committed to a stream before the server answered; for the deadline's message. */
    boolean answered() {
        return lock.committed() != null;
    }

    // ---- From the attempts' streams (event loop) ----

    void onAttemptHeaders(CallAttempt source, Metadata responseHeaders) {
        synchronized (lock) {
            if (!source.linked) {
                return;
            }
            if (lock.committed() == null) {
                commitLocked(source);
            } else if (lock.committed() != source) {
                return;
            }
            source.cancelRecvTimer();
        }
        call.streamHeaders(responseHeaders);
    }

    void onAttemptMessage(CallAttempt source, InputStream message) {
        if (source != lock.committed()) { // messages follow headers, which commit
            ListenerDispatcher.closeQuietly(message);
            return;
        }
        call.streamMessage(message);
    }

    void onAttemptReady(CallAttempt source) {
        if (Thread.holdsLock(lock)) {
            // This thread is opening the stream (or writing to it) inline on the event loop: the
            // application would find the call not ready yet, so onReady waits until it is done.
            readyDeferred = true;
            return;
        }
        boolean current;
        synchronized (lock) {
            current = source.linked && !done && (lock.committed() == null || lock.committed() == source);
        }
        if (current) {
            call.streamReady();
        }
    }

    /**
     * {@code source} ended: its stream closed, its pick failed, or its credentials or authority
     * refused it. As the committed attempt it ends the call; otherwise the recovery decides what
     * follows: a transparent retry, a retry after backoff, the next hedge, or the call's end.
     */
    void attemptEnded(CallAttempt source, Status status, RpcProgress progress, Metadata trailers) {
        AttemptRecovery.Next next;
        Status outcome = status;
        Metadata outcomeTrailers = trailers;
        synchronized (lock) {
            if (done || !source.linked) {
                return;
            }
            lock.remove(source);
            if (cancelStatus != null) { // a cancel wins, whatever its streams closed with
                next = lock.isEmpty() ? AttemptRecovery.Next.END : AttemptRecovery.Next.WAIT;
                outcome = cancelStatus;
                outcomeTrailers = new Metadata();
            } else if (source == lock.committed() || (committed && lock.committed() == null)) {
                next = AttemptRecovery.Next.END;
            } else if (lock.committed() != null) {
                return; // it lost to the committed attempt, which goes on
            } else {
                next = recoveryLocked().afterFailure(source, status, progress, trailers, lock.isEmpty());
            }
            if (next == AttemptRecovery.Next.END) {
                endedOn = source;
                endLocked();
            }
        }
        if (next == AttemptRecovery.Next.END) {
            finishWith(outcome, outcomeTrailers, progress, status);
        } else if (next == AttemptRecovery.Next.PICK) {
            pickNext();
        }
    }
}
