package dev.lbchannel.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client interceptor that counts which backend served each call, from the
 * {@link TestBackend#SERVED_BY} response header ({@code host:port}), for the calls started since
 * the last {@link #reset()}. A call started before a reset counts towards the counts it started
 * with, which the reset dropped: its response headers may reach the application after the reset
 * (the callback executor runs behind the transport), and must not count as served afterwards.
 * Thread-safe.
 */
public final class ServedByCounter implements ClientInterceptor {

    private volatile Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

    /** Calls started since the last reset and served by the backend at {@code hostAndPort}. */
    public int served(String hostAndPort) {
        AtomicInteger count = served.get(hostAndPort);
        return count == null ? 0 : count.get();
    }

    public void reset() {
        served = new ConcurrentHashMap<>();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                Map<String, AtomicInteger> counts = served;
                super.start(new SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onHeaders(Metadata responseHeaders) {
                        String by = responseHeaders.get(TestBackend.SERVED_BY);
                        if (by != null) {
                            counts.computeIfAbsent(by, k -> new AtomicInteger()).incrementAndGet();
                        }
                        super.onHeaders(responseHeaders);
                    }
                }, headers);
            }
        };
    }
}
