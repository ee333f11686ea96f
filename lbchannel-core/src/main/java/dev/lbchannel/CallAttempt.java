package dev.lbchannel;

import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientStreamListener;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.RpcProgress;
import dev.lbchannel.transport.StreamTracers;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.io.InputStream;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One try of a call. It is registered with its {@link PreCommitStream} before it is picked onto a
 * subchannel, before its credentials apply and before its stream starts, so that no event of its
 * stream can arrive before the call knows whose it is. A call usually has one; a retry policy
 * adds one after each retryable failure, a hedging policy runs several side by side, and a stream
 * the server never processed is replaced by a transparent retry. Events of an attempt the call
 * has moved past are ignored by the call. Stream events arrive on the transport's event loop.
 *
 * <p>Fields other than the final ones are guarded by the owner's lock; {@link #stream} and
 * {@link #tracers} are also read without it through the owner's committed attempt, published after
 * them.
 */
final class CallAttempt implements ClientStreamListener {

    private static final Logger logger = Logger.getLogger(CallAttempt.class.getName());

    /** Sent on every attempt after the first (gRFC A6), with the number of attempts before it. */
    static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
            Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);

    private final PreCommitStream owner;
    /** How many retry or hedge attempts of the call came before this one (gRFC A6's previous attempts). */
    final int number;
    /** Whether this attempt replaces one that never reached the server's application. */
    final boolean transparentRetry;

    // Guarded by the owner's lock.
    @Nullable DefaultSubchannel subchannel;
    @Nullable ClientTransport transport;
    /** The picker's listener for this attempt's outcome; told when its stream opens and when it closes. */
    @Nullable CallOutcomeListener outcome;
    /** When the stream opened, for a listener that {@linkplain CallOutcomeListener#wantsDuration() wants} the duration. */
    long startedNanos;
    boolean timed;
    @Nullable ClientStream stream;
    @Nullable StreamTracers tracers;
    /** In the owner's list of attempts still going. */
    boolean linked;
    @Nullable CallAttempt next;
    /** Its per-attempt receive timeout passed before response headers came. */
    boolean recvTimedOut;
    @Nullable ScheduledFuture<?> recvTimer;

    CallAttempt(PreCommitStream owner, int number, boolean transparentRetry) {
        this.owner = owner;
        this.number = number;
        this.transparentRetry = transparentRetry;
    }

    /** The call's {@code headers} as this attempt sends them: after the first, with {@code grpc-previous-rpc-attempts}. */
    Metadata headers(Metadata callHeaders) {
        if (number == 0) {
            return callHeaders;
        }
        Metadata copy = new Metadata();
        copy.merge(callHeaders);
        copy.put(PREVIOUS_ATTEMPTS, Integer.toString(number));
        return copy;
    }

    /** A picker chose {@code chosen}, whose READY connection is {@code connection}. */
    void picked(DefaultSubchannel chosen, ClientTransport connection, @Nullable CallOutcomeListener listener) {
        this.subchannel = chosen;
        this.transport = connection;
        this.outcome = listener;
    }

    /**
     * Creates and starts this attempt's stream on its transport, with tracers of its own when the
     * call has tracer factories. Called once, under the owner's lock.
     */
    ClientStream open(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions, boolean traced,
            boolean hedged, long deadlineNanos) {
        CallOptions options = callOptions;
        if (traced) {
            // A transparent retry is no retry attempt: it keeps its predecessor's number (gRFC A6).
            tracers = StreamTracers.create(callOptions, headers, number, transparentRetry, hedged);
            options = tracers.attachTo(callOptions);
        }
        ClientStream created = transport.newStream(method, headers, options, deadlineNanos);
        stream = created;
        subchannel.calls().started();
        if (outcome != null) {
            timed = outcome.wantsDuration();
            if (timed) {
                startedNanos = System.nanoTime();
            }
            reportStarted(outcome); // before start(), so the listener hears its end after this
        }
        created.start(this);
        return created;
    }

    void cancelRecvTimer() {
        ScheduledFuture<?> timer = recvTimer;
        if (timer != null) {
            recvTimer = null;
            timer.cancel(false);
        }
    }

    @Override
    public void onHeaders(Metadata headers) {
        owner.onAttemptHeaders(this, headers);
    }

    @Override
    public void onMessage(InputStream message) {
        owner.onAttemptMessage(this, message);
    }

    @Override
    public void onReady() {
        owner.onAttemptReady(this);
    }

    @Override
    public void onClose(Status status, RpcProgress progress, Metadata trailers) {
        subchannel.calls().finished(status.isOk());
        CallOutcomeListener listener = outcome;
        if (listener != null) {
            reportOutcome(listener, status, trailers, timed ? System.nanoTime() - startedNanos : 0);
        }
        owner.attemptEnded(this, status, progress, trailers);
    }

    /** A policy's listener must not throw; if it does, the stream still starts. */
    private static void reportStarted(CallOutcomeListener listener) {
        try {
            listener.onCallStarted();
        } catch (RuntimeException e) {
            logger.log(Level.WARNING, "A balancer's call-outcome listener threw", e);
        }
    }

    /** A policy's listener must not throw; if it does, the call still ends as it should. */
    private static void reportOutcome(CallOutcomeListener listener, Status status, Metadata trailers,
            long durationNanos) {
        try {
            listener.onCallEnded(status, trailers, durationNanos);
        } catch (RuntimeException e) {
            logger.log(Level.WARNING, "A balancer's call-outcome listener threw", e);
        }
    }

    @Override
    public String toString() {
        return "CallAttempt{" + number + (transparentRetry ? " transparent" : "") + " on " + subchannel + "}";
    }
}
