package dev.lbchannel;

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

/**
 * One try of a call on one subchannel's connection. A call usually has one; another follows only
 * when a stream never reached the server or the server refused it unprocessed (transparent
 * retry). The attempt is registered with its {@link PreCommitStream} before its stream exists
 * (its credentials may still be applying), and its stream before that stream starts, so no
 * event of the stream can arrive before the call knows whose it is. Events of an attempt the
 * call has moved past are ignored by the call. Stream events arrive on the transport's event
 * loop.
 */
final class CallAttempt implements ClientStreamListener {

    private final PreCommitStream owner;
    final DefaultSubchannel subchannel;
    final ClientTransport transport;
    /** Whether another attempt of the call came before this one. */
    final boolean transparentRetry;
    /**
     * The attempt's stream, set under the owner's lock before it starts; {@code null} until
     * then. Read without the lock only through the owner's committed attempt, published after it.
     */
    @Nullable ClientStream stream;
    /** This attempt's tracers, or {@code null} when the call has no tracer factories. */
    @Nullable StreamTracers tracers;

    CallAttempt(PreCommitStream owner, DefaultSubchannel subchannel, ClientTransport transport,
            boolean transparentRetry) {
        this.owner = owner;
        this.subchannel = subchannel;
        this.transport = transport;
        this.transparentRetry = transparentRetry;
    }

    /**
     * Creates and starts this attempt's stream on its transport, with tracers of its own when the
     * call has tracer factories. Called once, under the owner's lock.
     */
    ClientStream open(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions, boolean traced,
            long deadlineNanos) {
        CallOptions options = callOptions;
        if (traced) {
            // A transparent retry is no retry attempt: previousAttempts stays as it was (gRFC A6).
            tracers = StreamTracers.create(callOptions, headers, 0, transparentRetry);
            options = tracers.attachTo(callOptions);
        }
        ClientStream created = transport.newStream(method, headers, options, deadlineNanos);
        stream = created;
        subchannel.calls().started();
        created.start(this);
        return created;
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
        owner.onAttemptClosed(this, status, progress, trailers);
    }

    @Override
    public String toString() {
        return "CallAttempt{" + subchannel + "}";
    }
}
