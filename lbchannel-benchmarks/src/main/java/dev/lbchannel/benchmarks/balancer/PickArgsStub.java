package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.PickArgs;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * The arguments of a benchmarked pick: one unary method, empty headers, default options, built
 * once so the benchmark measures the picker and nothing it is handed. Immutable in use.
 */
enum PickArgsStub implements PickArgs {
    INSTANCE;

    private static final MethodDescriptor<Void, Void> METHOD = MethodDescriptor.<Void, Void>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("bench.Service/Call")
            .setRequestMarshaller(NoMarshaller.INSTANCE)
            .setResponseMarshaller(NoMarshaller.INSTANCE)
            .build();
    private static final Metadata HEADERS = new Metadata();

    @Override
    public MethodDescriptor<?, ?> method() {
        return METHOD;
    }

    @Override
    public Metadata headers() {
        return HEADERS;
    }

    @Override
    public CallOptions callOptions() {
        return CallOptions.DEFAULT;
    }

    /** Picks never marshal; the descriptor only needs a marshaller to exist. */
    private enum NoMarshaller implements MethodDescriptor.Marshaller<Void> {
        INSTANCE;

        @Override
        public java.io.InputStream stream(Void value) {
            throw new UnsupportedOperationException("picks do not marshal");
        }

        @Override
        public Void parse(java.io.InputStream stream) {
            throw new UnsupportedOperationException("picks do not marshal");
        }
    }
}
