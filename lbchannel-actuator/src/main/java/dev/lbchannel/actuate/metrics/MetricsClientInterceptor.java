package dev.lbchannel.actuate.metrics;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

import static java.util.Objects.requireNonNull;

/**
 * Meters every call of one channel (see {@link GrpcMeterNames}): the call itself here, each of its
 * attempts through a stream tracer factory added to its options. Thread-safe.
 */
final class MetricsClientInterceptor implements ClientInterceptor {

    private final CallMeters meters;

    MetricsClientInterceptor(CallMeters meters) {
        this.meters = requireNonNull(meters, "meters");
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        AttemptMeters attempts = new AttemptMeters(meters, meters.callTags(MethodTag.of(method)));
        return new MeteredCall<>(next.newCall(method, callOptions.withStreamTracerFactory(attempts)), meters, attempts);
    }
}
