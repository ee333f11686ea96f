package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.config.HedgingPolicy;
import dev.lbchannel.config.RetryPolicy;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The call's pre-commit stream: one call's stream as the call sees it, made of one or more
 * {@link CallAttempt}s until the call commits to one (gRFC A6). It asks the {@link PickerHolder}
 * for a subchannel per attempt, applies the call's credentials, opens the attempt's stream, and
 * keeps what the call sent in an {@link OutboundBuffer} so that another attempt can replay it:
 * after a stream the server never processed (transparent retry), after a retryable failure
 * ({@link RetryingAttempts}), or as a hedge ({@link HedgingAttempts}). The call commits to an
 * attempt when its response headers arrive, or when what it sent outgrows the per-call or
 * channel-wide replay buffer; then the other attempts are cancelled and no more start.
 *
 * <p>Until then its state is guarded by a small lock; afterwards the application's calls go
 * straight to the committed attempt's stream through one volatile read. A call without a retry
 * or hedging policy has one attempt and pays for none of this but the lock it takes to open it.
 * It tells its {@link ChannelCall} the outcome exactly once, whatever races it.
 */
final class PreCommitStream implements PickArgs {

    /** Where the method config's policies and the channel's throttle travel to the call. */
    static final CallOptions.Key<RetryPolicy> RETRY_POLICY = CallOptions.Key.create("lbchannel.retryPolicy");
    static final CallOptions.Key<HedgingPolicy> HEDGING_POLICY = CallOptions.Key.create("lbchannel.hedgingPolicy");
    static final CallOptions.Key<RetryThrottle> THROTTLE = CallOptions.Key.create("lbchannel.retryThrottle");
    /** Sent on every attempt after the first (gRFC A6), with the number of attempts before it. */
    static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
            Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);
    private static final Status LOST_HEDGE = Status.CANCELLED.withDescription("Another attempt of the call won");

    private final ChannelCall<?, ?> call;
    private final LbChannel channel;
    private final MethodDescriptor<?, ?> method;
    private final CallOptions callOptions;
    private final Metadata headers;
    private final CallDeadline deadline;
    private final boolean singleRequest;
    private final boolean traced;
    private final long perCallBufferLimit;
    private final @Nullable RetryThrottle throttle;
    private final @Nullable RetryingAttempts retrying;
    private final @Nullable HedgingAttempts hedging;

    private final Object lock = new Object();
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
    private final TransparentRetry transparentRetry = new TransparentRetry();
    /** The retry backoff or the next hedge. */
    @GuardedBy("lock")
    private @Nullable ScheduledFuture<?> timer;
    /** A hedged call's last failure: what it ends with when no attempt is left. */
    @GuardedBy("lock")
    private @Nullable Status lastFailure;
    @GuardedBy("lock")
    private Metadata lastTrailers = new Metadata();
    /** The outcome, once {@link #done}; handed to the call outside the lock. */
    @GuardedBy("lock")
    private @Nullable Status endStatus;
    @GuardedBy("lock")
    private Metadata endTrailers = new Metadata();
    @GuardedBy("lock")
    private boolean endAnswered;
    /** Attempts waiting for a subchannel; written under the lock. */
    private volatile int picksWanted;
    /** The outcome was decided; written under the lock. */
    private volatile boolean done;
    /** The attempt the call committed to, with its stream; the lock-free path after commit. */
    private volatile @Nullable CallAttempt committedAttempt;

    PreCommitStream(ChannelCall<?, ?> call, LbChannel channel, MethodDescriptor<?, ?> method,
            CallOptions callOptions, Metadata headers, CallDeadline deadline) {
        this.call = call;
        this.channel = channel;
        this.method = method;
        this.callOptions = callOptions;
        this.headers = headers;
        this.deadline = deadline;
        this.singleRequest = method.getType().clientSendsOneMessage();
        this.traced = !callOptions.getStreamTracerFactories().isEmpty();
        this.outbound = new OutboundBuffer(traced);
        RetryLimits limits = channel.retryLimits();
        this.perCallBufferLimit = limits.perRpcBufferLimit();
        this.throttle = callOptions.getOption(THROTTLE);
        RetryPolicy retryPolicy = callOptions.getOption(RETRY_POLICY);
        HedgingPolicy hedgingPolicy = callOptions.getOption(HEDGING_POLICY);
        this.retrying = retryPolicy == null ? null : new RetryingAttempts(retryPolicy,
                Math.min(retryPolicy.maxAttempts(), limits.maxRetryAttempts()), throttle);
        this.hedging = hedgingPolicy == null ? null : new HedgingAttempts(hedgingPolicy,
                Math.min(hedgingPolicy.maxAttempts(), limits.maxHedgedAttempts()), throttle);
        // Not yet shared with another thread: the first attempt needs no lock.
        CallAttempt first = new CallAttempt(this, 0, false);
        first.linked = true;
        attempts = first;
        picksWanted = 1;
    }

    /** Picks a subchannel and opens the first attempt, or parks until a picker can serve it. */
    void start() {
        if (hedging != null) {
            synchronized (lock) {
                scheduleHedgeLocked(hedging.delayNanos());
            }
        }
        channel.pickerHolder().pickOrPark(this);
    }

    /** Whether an attempt waits for a subchannel; a parked stream that wants none is forgotten. */
    boolean wantsPick() {
        return picksWanted > 0;
    }

    // ---- From the PickerHolder (any thread, never under the lock) ----

    /** A picker chose {@code subchannel}, READY on {@code transport}, for the oldest attempt waiting. */
    void startAttempt(DefaultSubchannel subchannel, ClientTransport transport) {
        CallAttempt next;
        synchronized (lock) {
            next = done ? null : firstWaitingLocked();
            if (next == null) {
                return;
            }
            next.picked(subchannel, transport);
            picksWanted--;
        }
        String authority = callOptions.getAuthority();
        Status unverified = authority == null ? null : transport.verifyAuthority(authority);
        CallCredentials credentials = callOptions.getCredentials();
        if (unverified != null) {
            attemptEnded(next, unverified, RpcProgress.PROCESSED, new Metadata());
        } else if (credentials == null) {
            openAttempt(next, headersFor(next));
        } else {
            channel.awaitingCredentials().add(this); // shutdownNow ends calls whose credentials never answer
            if (done) {
                channel.awaitingCredentials().remove(this); // ended meanwhile: finish() may have looked already
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
            endLocked(status, new Metadata(), false);
        }
        finish();
    }

    /**
     * Opens {@code source}'s stream with {@code attemptHeaders} and brings it up to date with
     * what the call sent so far, unless the call moved on meanwhile. Any thread.
     */
    void openAttempt(CallAttempt source, Metadata attemptHeaders) {
        boolean ready;
        synchronized (lock) {
            if (done || !source.linked || cancelStatus != null) {
                return;
            }
            // Our own non-blocking stream, called under the lock to keep the replay in order.
            ClientStream stream = source.open(method, attemptHeaders, callOptions, traced, hedging != null,
                    deadline.remainingNanos());
            outbound.replayInto(stream, source.tracers);
            if (committed && committedAttempt == null) {
                commitLocked(source);
            }
            Long recvTimeout = retrying == null ? null : retrying.perAttemptRecvTimeoutNanos();
            if (recvTimeout != null && committedAttempt == null) {
                source.recvTimer = channel.scheduler().schedule(() -> onRecvTimeout(source), recvTimeout,
                        TimeUnit.NANOSECONDS);
            }
            ready = takeDeferredReadyLocked();
        }
        if (ready) {
            call.streamReady();
        }
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
        // Every open attempt's stream moves its buffer's reader index: each but the first gets its own view.
        List<ByteBuf> views = new ArrayList<>(open - 1);
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
        if (!singleRequest) {
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
            cancelTimerLocked();
            picksWanted = 0;
            for (CallAttempt a = attempts; a != null; a = a.next) {
                if (a.stream != null) {
                    open.add(a.stream);
                } else {
                    unlinkLocked(a);
                }
            }
            if (open.isEmpty()) {
                endLocked(status, new Metadata(), false);
            }
        }
        if (open.isEmpty()) {
            finish();
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

    // ---- From the attempts' streams (event loop) ----

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
     * {@code source} ended without committing the call, or as its committed attempt: its stream
     * closed, its pick failed, or its credentials or authority refused it. Decides what follows:
     * the call's end, a transparent retry, a retry after backoff, or (hedging) the next hedge.
     */
    void attemptEnded(CallAttempt source, Status status, RpcProgress progress, Metadata trailers) {
        boolean pick = false;
        boolean ended;
        synchronized (lock) {
            if (done || !source.linked) {
                return;
            }
            unlinkLocked(source);
            source.cancelRecvTimer();
            if (source == committedAttempt || (cancelStatus == null && committed && committedAttempt == null)) {
                endWithLocked(status, progress, trailers);
            } else if (cancelStatus != null) {
                if (attempts == null) {
                    endLocked(cancelStatus, new Metadata(), false);
                }
            } else if (committedAttempt != null) {
                return; // it lost to the committed attempt, which goes on
            } else if (progress != RpcProgress.COMPLETED && transparentRetry.allows(progress)) {
                wantAttemptLocked(source.number, true);
                channel.attempts().transparentRetry();
                pick = true;
            } else if (retrying != null) {
                scheduleRetryLocked(source, status, progress, trailers);
            } else if (hedging != null) {
                pick = hedgeAfterFailureLocked(status, progress, trailers);
            } else {
                endWithLocked(status, progress, trailers);
            }
            ended = done;
        }
        if (ended) {
            finish();
        } else if (pick) {
            channel.pickerHolder().pickOrPark(this);
        }
    }

    // ---- internals ----

    @GuardedBy("lock")
    private void scheduleRetryLocked(CallAttempt failed, Status status, RpcProgress progress, Metadata trailers) {
        long delay = retrying.onFailure(failed.number, status, trailers, failed.recvTimedOut,
                channel.attempts()::throttled);
        if (delay == RetryingAttempts.NO_RETRY) {
            endWithLocked(status, progress, trailers);
            return;
        }
        int number = failed.number + 1;
        timer = channel.scheduler().schedule(() -> retryNow(number), delay, TimeUnit.NANOSECONDS);
    }

    private void retryNow(int number) {
        synchronized (lock) {
            timer = null;
            if (done || cancelStatus != null) {
                return;
            }
            wantAttemptLocked(number, false);
            channel.attempts().retry();
        }
        channel.pickerHolder().pickOrPark(this);
    }

    /** A hedge failed without ending the call: returns whether to pick for a hedge sent now. */
    @GuardedBy("lock")
    private boolean hedgeAfterFailureLocked(Status status, RpcProgress progress, Metadata trailers) {
        long next = hedging.onFailure(status, trailers, channel.attempts()::throttled);
        if (next == HedgingAttempts.FATAL) {
            endWithLocked(status, progress, trailers);
            return false;
        }
        lastFailure = status;
        lastTrailers = trailers;
        boolean pick = false;
        if (next == 0) {
            cancelTimerLocked();
            pick = takeHedgeLocked();
        } else if (next > 0) {
            cancelTimerLocked();
            scheduleHedgeLocked(next);
        } else if (!hedging.morePossible()) {
            cancelTimerLocked();
        }
        if (attempts == null && timer == null && !pick) {
            endLocked(status, trailers, false);
        }
        return pick;
    }

    @GuardedBy("lock")
    private void scheduleHedgeLocked(long delayNanos) {
        if (hedging.morePossible()) {
            timer = channel.scheduler().schedule(this::hedgeNow, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void hedgeNow() {
        boolean pick;
        boolean ended = false;
        synchronized (lock) {
            timer = null;
            if (done || cancelStatus != null || committedAttempt != null) {
                return;
            }
            pick = takeHedgeLocked();
            if (!pick && attempts == null && lastFailure != null) {
                endLocked(lastFailure, lastTrailers, false);
                ended = true;
            }
        }
        if (ended) {
            finish();
        } else if (pick) {
            channel.pickerHolder().pickOrPark(this);
        }
    }

    /** Sends the next hedge now if the policy and throttle allow, and schedules the one after. */
    @GuardedBy("lock")
    private boolean takeHedgeLocked() {
        if (!hedging.takeHedge(channel.attempts()::throttled)) {
            return false;
        }
        wantAttemptLocked(hedging.lastNumber(), false);
        channel.attempts().hedge();
        scheduleHedgeLocked(hedging.delayNanos());
        return true;
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
        stream.cancel(Status.DEADLINE_EXCEEDED.withDescription("The attempt's receive timeout passed (perAttemptRecvTimeout)"));
    }

    @GuardedBy("lock")
    private void wantAttemptLocked(int number, boolean transparent) {
        CallAttempt wanted = new CallAttempt(this, number, transparent);
        linkLocked(wanted);
        picksWanted++;
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
        if (outbound.bytes() + bytes > perCallBufferLimit) {
            return false;
        }
        if (retrying == null && hedging == null) {
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
        cancelTimerLocked();
        picksWanted = 0;
        for (CallAttempt a = attempts; a != null; ) {
            CallAttempt next = a.next;
            if (a != winner) {
                unlinkLocked(a);
                a.cancelRecvTimer();
                if (a.stream != null) {
                    a.stream.cancel(LOST_HEDGE); // its close is ignored: it is no longer linked
                }
            }
            a = next;
        }
    }

    /** Ends the call with an attempt's own outcome. */
    @GuardedBy("lock")
    private void endWithLocked(Status status, RpcProgress progress, Metadata trailers) {
        Status outcome = deadline.explain(status);
        endLocked(outcome, trailers, progress == RpcProgress.COMPLETED && outcome == status);
    }

    /**
     * Decides the outcome: nothing more starts, what is left is cancelled, and {@link #finish()}
     * (outside the lock) tells the call.
     */
    @GuardedBy("lock")
    private void endLocked(Status status, Metadata trailers, boolean answered) {
        done = true;
        endStatus = status;
        endTrailers = trailers;
        endAnswered = answered;
        picksWanted = 0;
        cancelTimerLocked();
        releaseBufferLocked();
        for (CallAttempt a = attempts; a != null; ) {
            CallAttempt next = a.next;
            unlinkLocked(a);
            a.cancelRecvTimer();
            if (a.stream != null) {
                a.stream.cancel(status); // a hedge still in flight: its close is ignored
            }
            a = next;
        }
    }

    /** Tells the call the outcome {@link #endLocked} decided; once, outside the lock. */
    private void finish() {
        Status status;
        Metadata trailers;
        boolean answered;
        synchronized (lock) {
            status = endStatus;
            trailers = endTrailers;
            answered = endAnswered;
        }
        if (status.isOk() && throttle != null) {
            throttle.onSuccess();
        }
        channel.pickerHolder().remove(this);
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
    private void cancelTimerLocked() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
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
