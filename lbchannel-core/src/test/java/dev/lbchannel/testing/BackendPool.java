package dev.lbchannel.testing;

import io.grpc.ClientInterceptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link TestBackend}s on loopback, each behind its own {@link TcpProxy} so a test can
 * crash one ({@link #crash(int)}), plus a client interceptor that counts which backend served
 * each call (from {@link TestBackend#SERVED_BY}). Ports handed to resolvers are the proxies'.
 */
public final class BackendPool implements AutoCloseable {

    private final List<TestBackend> backends = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final ServedByCounter counter = new ServedByCounter();

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
        return counter.served("127.0.0.1:" + backends.get(i).port());
    }

    public void resetCounts() {
        counter.reset();
    }

    /** Counts the backend named in each call's response headers. */
    public ClientInterceptor counter() {
        return counter;
    }

    @Override
    public void close() {
        proxies.forEach(TcpProxy::close);
        backends.forEach(TestBackend::close);
    }
}
