package dev.lbchannel.actuate.metrics;

import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * A call that records its duration with its status when it closes. Its attempts are metered by
 * the {@link AttemptMeters} the interceptor put in its options, which the channel asks for one
 * tracer per attempt. Reads no metadata.
 */
final class MeteredCall<ReqT, RespT> extends SimpleForwardingClientCall<ReqT, RespT> {

    private final CallMeters meters;
    private final AttemptMeters attempts;
    private final long createdNanos;

    MeteredCall(ClientCall<ReqT, RespT> delegate, CallMeters meters, AttemptMeters attempts) {
        super(delegate);
        this.meters = meters;
        this.attempts = attempts;
        this.createdNanos = meters.now();
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
        long startedNanos = meters.now();
        super.start(new SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
                attempts.callEnded(status.getCode().name(), createdNanos, startedNanos);
                super.onClose(status, trailers);
            }
        }, headers);
    }
}
