package dev.lbchannel.actuate.metrics;

import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;
import io.micrometer.core.instrument.Tags;

/**
 * A call that records its meters: the attempt counter when it starts, and the attempt and call
 * durations with the status when it closes. Retries and hedges happen below interceptors, so one
 * call is one attempt as seen from here. Reads no metadata.
 */
final class MeteredCall<ReqT, RespT> extends SimpleForwardingClientCall<ReqT, RespT> {

    private final CallMeters meters;
    private final Tags tags;
    private final long createdNanos;

    MeteredCall(ClientCall<ReqT, RespT> delegate, CallMeters meters, Tags tags) {
        super(delegate);
        this.meters = meters;
        this.tags = tags;
        this.createdNanos = meters.now();
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
        long startedNanos = meters.now();
        meters.attemptStarted(tags);
        super.start(new SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
                meters.ended(tags, status.getCode().name(), createdNanos, startedNanos);
                super.onClose(status, trailers);
            }
        }, headers);
    }
}
