package dev.lbchannel.actuate.metrics;

import io.grpc.MethodDescriptor;

/**
 * The {@code grpc.method} tag of a call. grpc-java's code generator marks its methods as sampled
 * to local tracing; only those get their full name, as gRFC A66 asks, so a client building method
 * names at run time cannot grow the tag without bound.
 */
final class MethodTag {

    private MethodTag() {
    }

    static String of(MethodDescriptor<?, ?> method) {
        return method.isSampledToLocalTracing() ? method.getFullMethodName() : GrpcMeterNames.OTHER_METHOD;
    }
}
