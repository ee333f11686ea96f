package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.MessageFramer;
import dev.lbchannel.transport.RpcProgress;
import dev.lbchannel.transport.StreamTracers;
import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The call's pre-commit stream: one call's stream as the call sees it, made of one or more
 * {@link CallAttempt}s until the call commits to one (gRFC A6). It asks the {@link PickerHolder}
 * for a subchannel per attempt, applies the call's credentials, opens the attempt's stream, and
 * keeps what the call sent in an {@link OutboundBuffer} so that another attempt can replay it;
 * which attempt follows a failed one is its {@link AttemptRecovery}'s decision. The call commits
 * to an attempt when its response headers arrive, or when what it sent outgrows the per-call or
 * channel-wide replay buffer; then the other attempts are cancelled and no more start.
 *
 * <p>Until then its state is guarded by a small lock; afterwards the application's calls go
 * straight to the committed attempt's stream through one volatile read. A call that never fails
 * has one attempt and takes the lock once to open it. It tells its {@link ChannelCall} the
 * outcome exactly once, whatever races it.
 */
final class PreCommitStream implements PickArgs {

    /** Sent on every attempt after the first (gRFC A6), with the number of attempts before it. */
    static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
            Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);
    private static final Status LOST_ATTEMPT = Status.CANCELLED.withDescription("Another attempt of the call won");
    private static final Status RECEIVE_TIMEOUT =
            Status.DEADLINE_EXCEEDED.withDescription("The attempt's receive timeout passed (perAttemptRecvTimeout)");

    private final ChannelCall<?, ?> call;
    private final LbChannel channel;
    private final MethodDescriptor<?, ?> method;
    private final CallOptions callOptions;
    private final Metadata headers;
    private final CallDeadline deadline;
    private final CallPolicy policy;
    private final boolean traced;
    /** The outbound buffer, which only this stream sees, doubles as its lock: one object less per call. */
    private final Object lock;

    /** The attempts still going, oldest first: waiting for a pick, for credentials, or streaming. */
    @GuardedBy("lock")
    private @Nullable CallAttempt attempts;
    @GuardedBy("lock")
    private final OutboundBuffer outbound;
    /** Bytes of {@link #outbound} counted in the channel's {@link RetryBuffer}. */
    @GuardedBy("lock")
    private long channelBufferBytes;
    @GuardedBy("lock")
    private boolean committed;
    @GuardedBy("lock")
    private @Nullable Status cancelStatus;
    @GuardedBy("lock")
    private boolean readyDeferred;
    @GuardedBy("lock")
    private @Nullable AttemptRecovery recovery;
    /** Attempts waiting for a subchannel; written under the lock. */
    private volatile int picksWanted;
    /** The outcome was decided; written under the lock. */
    private volatile boolean done;
    /** The PickerHolder parked this stream at least once; only then must its end unpark it. */
    private volatile boolean everParked;
    /** The attempt the call committed to, with its stream; the lock-free path after commit. */
    private volatile @Nullable CallAttempt committedAttempt;

    PreCommitStream(ChannelCall<?, ?> call, LbChannel channel, MethodDescriptor<?, ?> method,
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
        this.lock = outbound;
        // Not yet shared with another thread: the first attempt needs no lock.
        CallAttempt first = new CallAttempt(this, 0, false);
        first.linked = true;
        attempts = first;
        picksWanted = 1;
    }

    /** Picks a subchannel and opens the first attempt, or parks until a picker can serve it. */
    void start() {
        if (policy.hedging() != null) {
            synchronized (lock) {
                recoveryLocked().startHedging();
            }
        }
        channel.pickerHolder().pickOrPark(this);
    }

    /** The PickerHolder parked this stream; under its lock. */
    void parked() {
        everParked = true;
    }

    /** Whether an attempt waits for a subchannel; a parked stream that wants none is forgotten. */
    boolean wantsPick() {
        return picksWanted > 0;
    }

    // ---- From the PickerHolder (any thread, never under the lock) ----

    /** A picker chose {@code subchannel}, READY on {@code transport}, for the oldest attempt waiting. */
    void startAttempt(DefaultSubchannel subchannel, ClientTransport transport) {
        String authority = callOptions.getAuthority();
        CallCredentials credentials = callOptions.getCredentials();
        CallAttempt next;
        boolean ready = false;
        synchronized (lock) {
            next = done ? null : firstWaitingLocked();
            if (next == null) {
                return;
            }
            next.picked(subchannel, transport);
            picksWanted--;
            if (authority == null && credentials == null) {
                ready = openLocked(next, headersFor(next)); // the common case: picked and opened under one lock
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
            openAttempt(next, headersFor(next));
        } else {
            channel.awaitingCredentials().add(this); // shutdownNow ends calls whose credentials never answer
            if (done) {
                channel.awaitingCredentials().remove(this); // ended meanwhile: its end may have looked already
                return;
            }
            AttemptCredentials.apply(credentials, this, next, method, callOptions, headersFor(next), channel);
        }
    }

    /** A fail-fast pick failed with {@code status}: the oldest waiting attempt failed (A6: the policy decides). */
    void pickFailed(Status status) {
        CallAttempt failed;
        synchronized (lock) {
            failed = done ? null : firstWaitingLocked();
            if (failed == null) {
                return;
            }
            picksWanted--;
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
        if (committed && committedAttempt == null) {
            commitLocked(source);
        }
        if (policy.retry() != null && policy.retry().perAttemptRecvTimeout() != null && committedAttempt == null) {
            source.recvTimer = channel.scheduler().schedule(() -> onRecvTimeout(source),
                    policy.retry().perAttemptRecvTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        return takeDeferredReadyLocked();
    }

    // ---- From the call (the application's thread; cancel and request from any) ----

    void request(int numMessages) {
        CallAttempt committedTo = committedAttempt;
        if (committedTo != null) {
            committedTo.stream.request(numMessages);
            return;
        }
        synchronized (lock) {
            outbound.addRequest(numMessages);
            for (CallAttempt a = attempts; a != null; a = a.next) {
                if (a.stream != null) {
                    a.stream.request(numMessages);
                }
            }
        }
    }

    /** Sends one framed message, taking ownership of it. */
    void writeMessage(ByteBuf framed, int uncompressedBytes) {
        CallAttempt committedTo = committedAttempt;
        if (committedTo != null) {
            write(committedTo.stream, framed, committedTo.tracers, uncompressedBytes);
            return;
        }
        boolean ready;
        synchronized (lock) {
            if (done || cancelStatus != null) {
                framed.release();
                return;
            }
            if (!committed && !reserveLocked(framed.readableBytes())) {
                commitOnOverflowLocked();
            }
            committedTo = committedAttempt;
            if (committedTo != null) {
                write(committedTo.stream, framed, committedTo.tracers, uncompressedBytes);
            } else {
                writeToOpenAttemptsLocked(framed, uncompressedBytes);
            }
            ready = takeDeferredReadyLocked();
        }
        if (ready) {
            call.streamReady();
        }
    }

    @GuardedBy("lock")
    private void writeToOpenAttemptsLocked(ByteBuf framed, int uncompressedBytes) {
        int open = 0;
        for (CallAttempt a = attempts; a != null; a = a.next) {
            open += a.stream != null ? 1 : 0;
        }
        if (open == 0) {
            outbound.addMessage(framed, uncompressedBytes); // the first attempt to open replays it
            return;
        }
        // Each open stream moves its buffer's reader index: all but the first get a view of their own.
        List<ByteBuf> views = open == 1 ? List.of() : new ArrayList<>(open - 1);
        for (int i = 1; i < open; i++) {
            views.add(framed.retainedDuplicate());
        }
        outbound.addMessage(framed.retain(), uncompressedBytes); // the same buffer: it notes the bounds
        int view = -1;
        for (CallAttempt a = attempts; a != null; a = a.next) {
            if (a.stream != null) {
                write(a.stream, view < 0 ? framed : views.get(view), a.tracers, uncompressedBytes);
                view++;
            }
        }
    }

    private void write(ClientStream stream, ByteBuf framed, @Nullable StreamTracers tracers, int uncompressed) {
        int wireBytes = framed.readableBytes() - MessageFramer.HEADER_LENGTH;
        stream.writeMessage(framed);
        if (!call.sendsOneMessage()) {
            stream.flush();
        }
        if (tracers != null) {
            tracers.outboundMessage(wireBytes, uncompressed);
        }
    }

    void halfClose() {
        CallAttempt committedTo = committedAttempt;
        if (committedTo != null) {
            committedTo.stream.halfClose();
            return;
        }
        synchronized (lock) {
            outbound.halfClose();
            for (CallAttempt a = attempts; a != null && !done; a = a.next) {
                if (a.stream != null) {
                    a.stream.halfClose();
                }
            }
        }
    }

    boolean isReady() {
        CallAttempt committedTo = committedAttempt;
        if (committedTo != null) {
            return committedTo.stream.isReady();
        }
        synchronized (lock) {
            for (CallAttempt a = attempts; a != null && !done; a = a.next) {
                if (a.stream != null && a.stream.isReady()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The attributes of the connection the call is on, or empty before it has one. */
    Attributes attributes() {
        CallAttempt committedTo = committedAttempt;
        if (committedTo != null) {
            return committedTo.transport.attributes();
        }
        synchronized (lock) {
            for (CallAttempt a = attempts; a != null; a = a.next) {
                if (a.stream != null) {
                    return a.transport.attributes();
                }
            }
            return Attributes.EMPTY;
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
        List<ClientStream> open = new ArrayList<>(1);
        synchronized (lock) {
            if (done || cancelStatus != null) {
                return !done;
            }
            cancelStatus = status;
            picksWanted = 0;
            if (recovery != null) {
                recovery.stop();
            }
            for (CallAttempt a = attempts; a != null; ) {
                CallAttempt next = a.next;
                if (a.stream != null) {
                    open.add(a.stream);
                } else {
                    unlinkLocked(a);
                }
                a = next;
            }
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
        return committedAttempt != null;
    }

    // ---- From the attempts' streams (event loop) and the recovery's timers ----

    void onAttemptHeaders(CallAttempt source, Metadata responseHeaders) {
        synchronized (lock) {
            if (!source.linked) {
                return;
            }
            if (committedAttempt == null) {
                commitLocked(source);
            } else if (committedAttempt != source) {
                return;
            }
            source.cancelRecvTimer();
        }
        call.streamHeaders(responseHeaders);
    }

    void onAttemptMessage(CallAttempt source, InputStream message) {
        if (source != committedAttempt) { // messages follow headers, which commit
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
            current = source.linked && !done && (committedAttempt == null || committedAttempt == source);
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
            unlinkLocked(source);
            source.cancelRecvTimer();
            if (cancelStatus != null) { // a cancel wins, whatever its streams closed with
                next = attempts == null ? AttemptRecovery.Next.END : AttemptRecovery.Next.WAIT;
                outcome = cancelStatus;
                outcomeTrailers = new Metadata();
            } else if (source == committedAttempt || (committed && committedAttempt == null)) {
                next = AttemptRecovery.Next.END;
            } else if (committedAttempt != null) {
                return; // it lost to the committed attempt, which goes on
            } else {
                next = recoveryLocked().afterFailure(source, status, progress, trailers, attempts == null);
            }
            if (next == AttemptRecovery.Next.END) {
                endLocked();
            }
        }
        if (next == AttemptRecovery.Next.END) {
            finishWith(outcome, outcomeTrailers, progress, status);
        } else if (next == AttemptRecovery.Next.PICK) {
            channel.pickerHolder().pickOrPark(this);
        }
    }

    /** A retry's backoff passed; from the recovery's timer. */
    void onRetryDue(int number) {
        synchronized (lock) {
            if (done || cancelStatus != null) {
                return;
            }
            recoveryLocked().retryDue(number);
        }
        channel.pickerHolder().pickOrPark(this);
    }

    /** The next hedge is due; from the recovery's timer. */
    void onHedgeDue() {
        Status lastFailure = null;
        Metadata lastTrailers = null;
        synchronized (lock) {
            if (done || cancelStatus != null || committedAttempt != null) {
                return;
            }
            AttemptRecovery hedging = recoveryLocked();
            if (!hedging.hedgeDue()) {
                if (attempts != null || hedging.lastFailure() == null) {
                    return;
                }
                lastFailure = hedging.lastFailure();
                lastTrailers = hedging.lastTrailers();
                endLocked(); // no hedge follows, none is in flight: the last failure is the outcome
            }
        }
        if (lastFailure != null) {
            finish(lastFailure, lastTrailers, false);
        } else {
            channel.pickerHolder().pickOrPark(this);
        }
    }

    private void onRecvTimeout(CallAttempt source) {
        ClientStream stream;
        synchronized (lock) {
            if (!source.linked || committedAttempt != null || source.stream == null) {
                return;
            }
            source.recvTimer = null;
            source.recvTimedOut = true;
            stream = source.stream;
        }
        stream.cancel(RECEIVE_TIMEOUT);
    }

    /** Adds an attempt that waits for a pick; for the recovery, under the lock. */
    @GuardedBy("lock")
    void wantAttemptLocked(int number, boolean transparent) {
        CallAttempt wanted = new CallAttempt(this, number, transparent);
        linkLocked(wanted);
        picksWanted++;
    }

    // ---- internals ----

    @GuardedBy("lock")
    private AttemptRecovery recoveryLocked() {
        if (recovery == null) {
            recovery = new AttemptRecovery(this, channel, policy);
        }
        return recovery;
    }

    @GuardedBy("lock")
    private @Nullable CallAttempt firstWaitingLocked() {
        for (CallAttempt a = attempts; a != null; a = a.next) {
            if (a.subchannel == null) {
                return a;
            }
        }
        return null;
    }

    @GuardedBy("lock")
    private void linkLocked(CallAttempt attempt) {
        attempt.linked = true;
        if (attempts == null) {
            attempts = attempt;
            return;
        }
        CallAttempt last = attempts;
        while (last.next != null) {
            last = last.next;
        }
        last.next = attempt;
    }

    @GuardedBy("lock")
    private void unlinkLocked(CallAttempt attempt) {
        attempt.linked = false;
        if (attempts == attempt) {
            attempts = attempt.next;
        } else {
            for (CallAttempt a = attempts; a != null; a = a.next) {
                if (a.next == attempt) {
                    a.next = attempt.next;
                    break;
                }
            }
        }
        attempt.next = null;
    }

    /** Whether {@code bytes} more fit in the per-call and (for a call with a policy) channel buffers. */
    @GuardedBy("lock")
    private boolean reserveLocked(int bytes) {
        if (outbound.bytes() + bytes > channel.retryLimits().perRpcBufferLimit()) {
            return false;
        }
        if (policy.retry() == null && policy.hedging() == null) {
            return true;
        }
        if (!channel.retryBuffer().tryReserve(bytes)) {
            return false;
        }
        channelBufferBytes += bytes;
        return true;
    }

    /** The call sent more than its replay buffer takes: it commits to the oldest open attempt, if any. */
    @GuardedBy("lock")
    private void commitOnOverflowLocked() {
        committed = true;
        for (CallAttempt a = attempts; a != null; a = a.next) {
            if (a.stream != null) {
                commitLocked(a);
                return;
            }
        }
    }

    /** Commits to {@code winner}: the replay buffer goes, every other attempt is cancelled, none follows. */
    @GuardedBy("lock")
    private void commitLocked(CallAttempt winner) {
        committed = true;
        committedAttempt = winner;
        releaseBufferLocked();
        if (recovery != null) {
            recovery.stop();
        }
        picksWanted = 0;
        for (CallAttempt a = attempts; a != null; ) {
            CallAttempt next = a.next;
            if (a != winner) {
                unlinkLocked(a);
                a.cancelRecvTimer();
                if (a.stream != null) {
                    a.stream.cancel(LOST_ATTEMPT); // its close is ignored: it is no longer linked
                }
            }
            a = next;
        }
    }

    /** The outcome is decided: nothing more starts, and what is left is cancelled. */
    @GuardedBy("lock")
    private void endLocked() {
        done = true;
        picksWanted = 0;
        if (recovery != null) {
            recovery.stop();
        }
        releaseBufferLocked();
        for (CallAttempt a = attempts; a != null; ) {
            CallAttempt next = a.next;
            unlinkLocked(a);
            a.cancelRecvTimer();
            if (a.stream != null) {
                a.stream.cancel(LOST_ATTEMPT); // a hedge still in flight: its close is ignored
            }
            a = next;
        }
    }

    /** Ends with an attempt's own outcome, unless {@code outcome} already replaced it (a cancel). */
    private void finishWith(Status outcome, Metadata trailers, RpcProgress progress, Status attemptStatus) {
        if (outcome != attemptStatus) {
            finish(outcome, trailers, false);
            return;
        }
        Status explained = deadline.explain(attemptStatus);
        finish(explained, trailers, progress == RpcProgress.COMPLETED && explained == attemptStatus);
    }

    /** Tells the call the outcome; once, outside the lock, by the thread that decided it. */
    private void finish(Status status, Metadata trailers, boolean answered) {
        if (status.isOk() && policy.throttle() != null) {
            policy.throttle().onSuccess();
        }
        if (everParked) {
            channel.pickerHolder().remove(this);
        }
        if (callOptions.getCredentials() != null) {
            channel.awaitingCredentials().remove(this);
        }
        call.streamClosed(status, trailers, answered);
    }

    @GuardedBy("lock")
    private void releaseBufferLocked() {
        outbound.release();
        if (channelBufferBytes > 0) {
            channel.retryBuffer().release(channelBufferBytes);
            channelBufferBytes = 0;
        }
    }

    @GuardedBy("lock")
    private boolean takeDeferredReadyLocked() {
        boolean ready = readyDeferred && !done;
        readyDeferred = false;
        return ready;
    }

    /** The call's headers for {@code attempt}: after the first, with {@code grpc-previous-rpc-attempts}. */
    private Metadata headersFor(CallAttempt attempt) {
        if (attempt.number == 0) {
            return headers;
        }
        Metadata copy = new Metadata();
        copy.merge(headers);
        copy.put(PREVIOUS_ATTEMPTS, Integer.toString(attempt.number));
        return copy;
    }

    // ---- PickArgs ----

    @Override
    public MethodDescriptor<?, ?> method() {
        return method;
    }

    @Override
    public Metadata headers() {
        return headers;
    }

    @Override
    public CallOptions callOptions() {
        return callOptions;
    }

    @Override
    public String toString() {
        return "PreCommitStream{" + method.getFullMethodName() + "}";
    }
}
