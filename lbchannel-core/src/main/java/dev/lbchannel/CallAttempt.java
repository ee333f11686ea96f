package dev.lbchannel;

import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientStreamListener;
import dev.lbchannel.transport.RpcProgress;
import dev.lbchannel.transport.StreamTracers;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;

import org.jspecify.annotations.Nullable;

import java.io.InputStream;

/**
 * One try of a call on one subchannel's stream. A call usually has one; a second follows only
 * when the server refused the first unprocessed (transparent retry). Events of an attempt the
 * call has moved past are ignored by the call. Called on the transport's event loop.
 *
 * <p>A call whose options carry {@link io.grpc.ClientStreamTracer} factories gives each attempt
 * its own {@link StreamTracers}; the call reports the messages it sends, the transport the rest.
 * A call without factories allocates nothing for tracing.
 */
final class CallAttempt implements ClientStreamListener {

    private final ChannelCall<?, ?> call;
    final DefaultSubchannel subchannel;
    /** Set by the call under its lock once {@code newStream} returned; {@code null} before. */
    ClientStream stream;
    /** The stream was ready before {@link #stream} was set; guarded by the call's lock. */
    boolean readyEarly;
    /** This attempt's tracers, or {@code null} when the call has no tracer factories. */
    @Nullable StreamTracers tracers;

    CallAttempt(ChannelCall<?, ?> call, DefaultSubchannel subchannel) {
        this.call = call;
        this.subchannel = subchannel;
    }

    /**
     * Gives this attempt its tracers and returns the options that carry them to the transport.
     * A call has at most two attempts, and a second one is always a transparent retry.
     */
    CallOptions traced(CallOptions callOptions, Metadata headers, boolean transparentRetry) {
        tracers = StreamTracers.create(callOptions, headers, transparentRetry ? 1 : 0, transparentRetry);
        return tracers.attachTo(callOptions);
    }

    @Override
    public void onHeaders(Metadata headers) {
        call.onAttemptHeaders(this, headers);
    }

    @Override
    public void onMessage(InputStream message) {
        call.dispatcher().message(message);
    }

    @Override
    public void onReady() {
        call.onAttemptReady(this);
    }

    @Override
    public void onClose(Status status, RpcProgress progress, Metadata trailers) {
        subchannel.calls().finished(status.isOk());
        call.onAttemptClosed(this, status, progress, trailers);
    }
}
