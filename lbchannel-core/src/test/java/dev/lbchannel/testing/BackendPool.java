package dev.lbchannel.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several {@link TestBackend}s on loopback, each behind its own {@link TcpProxy} so a test can
 * crash one ({@link #crash(int)}), plus a client interceptor that counts which backend served
 * each call (from {@link TestBackend#SERVED_BY}). Ports handed to resolvers are the proxies'.
 */
public final class BackendPool implements AutoCloseable {

    private final List<TestBackend> backends = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

    public BackendPool(int size) {
        try {
            for (int i = 0; i < size; i++) {
                TestBackend backend = TestBackend.plaintext();
                backends.add(backend);
                proxies.add(new TcpProxy(backend.address()));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /** The port clients use for backend {@code i} (its proxy's). */
    public int port(int i) {
        return proxies.get(i).port();
    }

    public int[] ports() {
        return proxies.stream().mapToInt(TcpProxy::port).toArray();
    }

    public TestBackend backend(int i) {
        return backends.get(i);
    }

    /** Resets backend {@code i}'s connections and refuses new ones, as a crashed host would. */
    public void crash(int i) {
        proxies.get(i).close();
    }

    /** How many calls backend {@code i} served (as seen in response headers) since the last reset. */
    public int served(int i) {
        AtomicInteger count = served.get("127.0.0.1:" + backends.get(i).port());
        return count == null ? 0 : count.get();
    }

    public void resetCounts() {
        served.clear();
    }

    /** Counts the backend named in each call's response headers. */
    public ClientInterceptor counter() {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        super.start(new SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onHeaders(Metadata responseHeaders) {
                                String by = responseHeaders.get(TestBackend.SERVED_BY);
                                if (by != null) {
                                    served.computeIfAbsent(by, k -> new AtomicInteger()).incrementAndGet();
                                }
                                super.onHeaders(responseHeaders);
                            }
                        }, headers);
                    }
                };
            }
        };
    }

    @Override
    public void close() {
        proxies.forEach(TcpProxy::close);
        backends.forEach(TestBackend::close);
    }
}
