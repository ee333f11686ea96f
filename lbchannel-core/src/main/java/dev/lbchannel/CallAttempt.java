package dev.lbchannel;

import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientStreamListener;
import dev.lbchannel.transport.RpcProgress;
import io.grpc.Metadata;
import io.grpc.Status;

import java.io.InputStream;

/**
 * One try of a call on one subchannel's stream. A call usually has one; a second follows only
 * when the server refused the first unprocessed (transparent retry). Events of an attempt the
 * call has moved past are ignored by the call. Called on the transport's event loop.
 */
final class CallAttempt implements ClientStreamListener {

    private final ChannelCall<?, ?> call;
    final DefaultSubchannel subchannel;
    /** Set by the call under its lock once {@code newStream} returned; {@code null} before. */
    ClientStream stream;
    /** The stream was ready before {@link #stream} was set; guarded by the call's lock. */
    boolean readyEarly;

    CallAttempt(ChannelCall<?, ?> call, DefaultSubchannel subchannel) {
        this.call = call;
        this.subchannel = subchannel;
    }

    @Override
    public void onHeaders(Metadata headers) {
        call.onAttemptHeaders(this, headers);
    }

    @Override
    public void onMessage(InputStream message) {
        call.onAttemptMessage(message);
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
