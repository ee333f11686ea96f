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

/**
 * The call's pre-commit stream: one call's stream as the call sees it, made of one or more
 * {@link CallAttempt}s until the call is committed to one. It picks a subchannel (parking with
 * the {@link PickerHolder} when no picker can serve it yet), applies the call's credentials,
 * opens the attempt's stream, and keeps what the call sent in an {@link OutboundBuffer} so that
 * a stream that never reached the server, or that the server refused unprocessed, can be
 * replayed on another pick (transparent retry). The call commits when response headers arrive
 * or more than {@value #REPLAY_LIMIT} bytes were sent.
 *
 * <p>Until then the stream's state is guarded by a small lock; afterwards the application's
 * calls go straight to the committed attempt's stream through one volatile read. It tells its
 * {@link ChannelCall} the outcome exactly once, whatever races it: a close, a cancel, a failed
 * pick or credentials.
 */
final class PreCommitStream implements PickArgs {

    /** Bytes of sent messages kept for a transparent retry before the call commits. */
    static final int REPLAY_LIMIT = 1 << 20;

    private final ChannelCall<?, ?> call;
    private final LbChannel channel;
    private final MethodDescriptor<?, ?> method;
    private final CallOptions callOptions;
    private final Metadata headers;
    private final CallDeadline deadline;
    private final boolean singleRequest;
    private final boolean traced;

    private final Object lock = new Object();
    @GuardedBy("lock")
    private @Nullable CallAttempt attempt;
    @GuardedBy("lock")
    private final OutboundBuffer outbound;
    @GuardedBy("lock")
    private boolean committed;
    @GuardedBy("lock")
    private @Nullable Status cancelStatus;
    /** The current attempt's stream was ready while this thread still held the lock opening it. */
    @GuardedBy("lock")
    private boolean readyDeferred;
    @GuardedBy("lock")
    private int attempts;
    @GuardedBy("lock")
    private final TransparentRetry transparentRetry = new TransparentRetry();
    /** The outcome was handed to the call; written under the lock. */
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
    }

    /** Picks a subchannel and opens the first attempt, or parks until a picker can serve it. */
    void start() {
        channel.pickerHolder().pickOrPark(this);
    }

    /** Whether the outcome has been handed to the call; a parked stream that is done is forgotten. */
    boolean isDone() {
        return done;
    }

    /**
     * Opens an attempt on {@code transport}, the READY connection of the subchannel a picker
     * chose; from the {@link PickerHolder}. Any thread; never while holding the lock.
     */
    void startAttempt(DefaultSubchannel subchannel, ClientTransport transport) {
        CallAttempt next;
        synchronized (lock) {
            if (done) {
                return;
            }
            next = new CallAttempt(this, subchannel, transport, attempts++ > 0);
            attempt = next;
        }
        String authority = callOptions.getAuthority();
        Status unverified = authority == null ? null : transport.verifyAuthority(authority);
        CallCredentials credentials = callOptions.getCredentials();
        if (unverified != null) {
            attemptFailed(next, unverified);
        } else if (credentials == null) {
            openAttempt(next, headers);
        } else {
            channel.awaitingCredentials().add(this); // shutdownNow ends calls whose credentials never answer
            AttemptCredentials.apply(credentials, this, next, method, callOptions, headers, channel);
        }
    }

    /**
     * Opens {@code source}'s stream with {@code attemptHeaders} and brings it up to date with
     * what the call sent so far, unless the call moved on meanwhile. Any thread.
     */
    void openAttempt(CallAttempt source, Metadata attemptHeaders) {
        if (callOptions.getCredentials() != null) {
            channel.awaitingCredentials().remove(this);
        }
        boolean ready;
        synchronized (lock) {
            if (done || source != attempt) {
                return;
            }
            // Our own non-blocking stream, called under the lock to keep the replay in order.
            ClientStream stream = source.open(method, attemptHeaders, callOptions, traced, deadline.remainingNanos());
            outbound.replayInto(stream, source.tracers);
            if (committed) {
                commitLocked();
            }
            ready = takeDeferredReadyLocked();
        }
        if (ready) {
            call.streamReady();
        }
    }

    /** {@code source} could not open a stream (credentials or authority refused it): the call fails. */
    void attemptFailed(CallAttempt source, Status status) {
        channel.awaitingCredentials().remove(this);
        Status outcome;
        synchronized (lock) {
            if (done || source != attempt) {
                return;
            }
            done = true;
            outbound.release();
            outcome = cancelStatus != null ? cancelStatus : status;
        }
        call.streamClosed(outcome, new Metadata(), false);
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
            ClientStream stream = currentStreamLocked();
            if (stream != null) {
                stream.request(numMessages);
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
            ClientStream stream = currentStreamLocked();
            if (done || cancelStatus != null) {
                framed.release();
                return;
            } else if (stream == null) {
                outbound.addMessage(framed, uncompressedBytes);
                committed |= outbound.bytes() > REPLAY_LIMIT;
            } else {
                outbound.addMessage(framed.retain(), uncompressedBytes); // the same buffer: it notes the bounds
                if (outbound.bytes() > REPLAY_LIMIT) {
                    commitLocked();
                }
                write(stream, framed, attempt.tracers, uncompressedBytes);
            }
            ready = takeDeferredReadyLocked();
        }
        if (ready) {
            call.streamReady();
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
            ClientStream stream = currentStreamLocked();
            if (stream != null && !done) {
                stream.halfClose();
            }
        }
    }

    boolean isReady() {
        CallAttempt committedTo = committedAttempt;
        if (committedTo != null) {
            return committedTo.stream.isReady();
        }
        synchronized (lock) {
            ClientStream stream = currentStreamLocked();
            return stream != null && !done && stream.isReady();
        }
    }

    /** The attributes of the connection the call is on, or empty before it has one. */
    Attributes attributes() {
        CallAttempt committedTo = committedAttempt;
        if (committedTo != null) {
            return committedTo.transport.attributes();
        }
        synchronized (lock) {
            return attempt == null || attempt.stream == null ? Attributes.EMPTY : attempt.transport.attributes();
        }
    }

    /**
     * Ends the call with {@code status}: the attempt's stream is reset (its close then carries
     * this status), or the call, parked or waiting for credentials, ends at once.
     *
     * @return false when the outcome was already decided, so nothing was cancelled
     */
    boolean cancel(Status status) {
        ClientStream stream;
        synchronized (lock) {
            if (done || cancelStatus != null) {
                return !done;
            }
            cancelStatus = status;
            stream = currentStreamLocked();
            if (stream == null) {
                done = true;
                outbound.release();
            }
        }
        if (stream != null) {
            stream.cancel(status);
        } else {
            channel.pickerHolder().remove(this);
            channel.awaitingCredentials().remove(this);
            call.streamClosed(status, new Metadata(), false);
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
            if (source != attempt) {
                return;
            }
            if (committedAttempt == null) {
                commitLocked();
            }
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
        CallAttempt current;
        synchronized (lock) {
            current = attempt;
        }
        if (source == current && !done) {
            call.streamReady();
        }
    }

    void onAttemptClosed(CallAttempt source, Status status, RpcProgress progress, Metadata trailers) {
        Status outcome;
        Metadata outcomeTrailers = trailers;
        synchronized (lock) {
            if (source != attempt || done) {
                return;
            }
            if (cancelStatus == null && !committed && transparentRetry.allows(progress)) {
                attempt = null;
                outcome = null;
            } else {
                done = true;
                outbound.release();
                outcome = deadline.explain(status);
                if (cancelStatus != null) {
                    outcome = cancelStatus;
                    outcomeTrailers = new Metadata();
                }
            }
        }
        if (outcome == null) {
            channel.pickerHolder().pickOrPark(this);
        } else {
            call.streamClosed(outcome, outcomeTrailers, progress == RpcProgress.COMPLETED && outcome == status);
        }
    }

    // ---- internals ----

    /** Fails the call before it has a stream: a failed pick, or a picker that threw. */
    void fail(Status status) {
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            outbound.release();
        }
        call.streamClosed(status, new Metadata(), false);
    }

    @GuardedBy("lock")
    private void commitLocked() {
        committed = true;
        if (attempt != null && attempt.stream != null) {
            outbound.release();
            committedAttempt = attempt;
        }
    }

    @GuardedBy("lock")
    private @Nullable ClientStream currentStreamLocked() {
        return attempt == null ? null : attempt.stream;
    }

    @GuardedBy("lock")
    private boolean takeDeferredReadyLocked() {
        boolean ready = readyDeferred && !done;
        readyDeferred = false;
        return ready;
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
