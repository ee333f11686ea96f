package dev.lbchannel.balancer.outlier;

import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * grpc-java test backends on loopback, each of which the test can make answer every call, or
 * every other call, with UNAVAILABLE, and which count the calls that reach them.
 */
final class FaultyBackends implements AutoCloseable {

    private final List<TestBackend> backends = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();

    FaultyBackends(int size) {
        for (int i = 0; i < size; i++) {
            Fault fault = new Fault();
            faults.add(fault);
            backends.add(TestBackend.start(false, builder -> builder.intercept(fault)));
        }
    }

    int[] ports() {
        return backends.stream().mapToInt(TestBackend::port).toArray();
    }

    String hostAndPort(int i) {
        return "127.0.0.1:" + backends.get(i).port();
    }

    /** Backend {@code i} fails every {@code n}th call from now: 1 for all, 2 for half, 0 for none. */
    void failEvery(int i, int n) {
        faults.get(i).failEvery = n;
    }

    /** Calls that reached backend {@code i}, failed or not. */
    int received(int i) {
        return faults.get(i).received.get();
    }

    /** Which backend a subchannel connects to, or -1. */
    int indexOf(SubchannelSnapshot subchannel) {
        for (int i = 0; i < backends.size(); i++) {
            if (subchannel.addresses().contains(hostAndPort(i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        backends.forEach(TestBackend::close);
    }

    private static final class Fault implements ServerInterceptor {
        final AtomicInteger received = new AtomicInteger();
        volatile int failEvery;

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            int n = received.incrementAndGet();
            int every = failEvery;
            if (every > 0 && n % every == 0) {
                call.close(Status.UNAVAILABLE.withDescription("injected fault"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            };
        }
    }
}
