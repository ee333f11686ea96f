package dev.lbchannel.testing;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.TestServiceImpl;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A real gRPC server for tests: grpc-java's Netty server on {@code 127.0.0.1} serving the interop
 * {@code grpc.testing.TestService}, in plaintext or TLS.
 *
 * <p>It serves grpc-java's own {@link TestServiceImpl} with its interceptors (echoing
 * {@code x-grpc-test-echo-initial} and {@code x-grpc-test-echo-trailing-bin}), as grpc-java's
 * interop server does.
 *
 * <p>For TLS it makes a CA and a server certificate valid for {@code localhost} and
 * {@code 127.0.0.1}; clients trust {@link #trustManagerFactory()}. It also records, for
 * assertions, the last request's metadata and deadline and how many calls the server saw
 * cancelled.
 *
 * <pre>{@code
 * try (TestBackend backend = TestBackend.start(false)) {
 *     connect(backend.address(), backend.authority());
 *     backend.restart();   // same port
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class TestBackend implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 10;

    /** Response header naming the backend that served a call: {@code <host>:<port>}. */
    public static final Metadata.Key<String> SERVED_BY =
            Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER);

    private final boolean tls;
    private final String host;
    /** Adjusts the server builder before each (re)start; identity unless a test asks. */
    private final UnaryOperator<NettyServerBuilder> customizer;
    private final @Nullable X509Bundle ca;
    private final @Nullable X509Bundle serverCert;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "test-backend-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<@Nullable Metadata> lastHeaders = new AtomicReference<>();
    private final AtomicReference<@Nullable Deadline> lastDeadline = new AtomicReference<>();
    private final AtomicReference<@Nullable String> lastAuthority = new AtomicReference<>();
    private final AtomicInteger cancellations = new AtomicInteger();
    private final AtomicInteger callsStarted = new AtomicInteger();
    private volatile Server server;
    private volatile int port;

    private TestBackend(boolean tls, String host) throws Exception {
        this(tls, host, UnaryOperator.identity());
    }

    private TestBackend(boolean tls, String host, UnaryOperator<NettyServerBuilder> customizer) throws Exception {
        this(tls, host, customizer, tls ? newCa() : null, List.of("localhost", "127.0.0.1"));
    }

    private TestBackend(boolean tls, String host, UnaryOperator<NettyServerBuilder> customizer,
            @Nullable X509Bundle ca, List<String> names) throws Exception {
        this.tls = tls;
        this.host = host;
        this.customizer = customizer;
        this.ca = ca;
        if (tls && ca != null) {
            Instant now = Instant.now();
            CertificateBuilder cert = new CertificateBuilder().subject("CN=" + names.get(0));
            for (String name : names) {
                if (Character.isDigit(name.charAt(0))) {
                    cert.addSanIpAddress(name);
                } else {
                    cert.addSanDnsName(name);
                }
            }
            serverCert = cert.addExtendedKeyUsageServerAuth()
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildIssuedBy(ca);
        } else {
            serverCert = null;
        }
    }

    /** A CA for {@link #tlsFor}: backends it issues certificates to share one trust. */
    public static X509Bundle newCa() throws Exception {
        Instant now = Instant.now();
        return new CertificateBuilder().subject("CN=lbchannel test CA").setIsCertificateAuthority(true)
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256().buildSelfSigned();
    }

    /**
     * Starts a TLS backend on {@code 127.0.0.1} whose certificate, issued by {@code ca}, is valid
     * for {@code name} only (an IPv4 literal or a DNS name).
     */
    public static TestBackend tlsFor(X509Bundle ca, String name) {
        return started(() -> new TestBackend(true, "127.0.0.1", UnaryOperator.identity(), ca, List.of(name)), 0);
    }

    /** Starts a backend on a free port; {@code tls} chooses TLS (ALPN h2) over plaintext h2c. */
    public static TestBackend start(boolean tls) {
        return started(() -> new TestBackend(tls, "127.0.0.1"), 0);
    }

    /**
     * Starts a backend on a free port whose server builder {@code customizer} adjusts (also on
     * {@link #restart()}), e.g. {@code b -> b.maxConnectionAge(1, SECONDS)}.
     */
    public static TestBackend start(boolean tls, UnaryOperator<NettyServerBuilder> customizer) {
        return started(() -> new TestBackend(tls, "127.0.0.1", customizer), 0);
    }

    /**
     * Starts a plaintext backend on {@code host} (any loopback address, such as 127.0.0.2) and
     * {@code port}; for DNS tests, where several backends share a port behind one name.
     */
    public static TestBackend plaintextOn(String host, int port) {
        return started(() -> new TestBackend(false, host), port);
    }

    /** A backend {@code create} makes, started on {@code port} (0 for a free one). */
    private static TestBackend started(Callable<TestBackend> create, int port) {
        TestBackend backend;
        try {
            backend = create.call();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create a test backend", e);
        }
        try {
            backend.startServer(port);
            return backend;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a test backend on " + backend.host + ":" + port, e);
        }
    }

    /**
     * Starts one plaintext backend on each of {@code hosts} (loopback addresses such as 127.0.0.2),
     * all on one port, as the addresses of one DNS name would be. A port free on the first host is
     * almost always free on the others; another is tried if not.
     */
    public static List<TestBackend> plaintextOnSharedPort(String... hosts) {
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(hosts[0]))) {
                port = probe.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<TestBackend> started = new ArrayList<>(hosts.length);
            try {
                for (String host : hosts) {
                    started.add(plaintextOn(host, port));
                }
                return started;
            } catch (RuntimeException e) {
                started.forEach(TestBackend::close);
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    public static TestBackend plaintext() {
        return start(false);
    }

    public static TestBackend tls() {
        return start(true);
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** {@code localhost:<port>}: an authority the TLS certificate is valid for. */
    public String authority() {
        return "localhost:" + port;
    }

    public boolean isTls() {
        return tls;
    }

    /** Trusts the backend's CA (TLS backends only). */
    public TrustManagerFactory trustManagerFactory() {
        return requireCa().toTrustManagerFactory();
    }

    /** The CA certificate in PEM (TLS backends only). */
    public String caCertificatePem() {
        return requireCa().getCertificatePEM();
    }

    /** Metadata of the most recent call the server started, or {@code null}. */
    public @Nullable Metadata lastHeaders() {
        return lastHeaders.get();
    }

    /** {@code :authority} of the most recent call the server started, or {@code null}. */
    public @Nullable String lastAuthority() {
        return lastAuthority.get();
    }

    /** Deadline of the most recent call, from its {@code grpc-timeout}, or {@code null}. */
    public @Nullable Deadline lastDeadline() {
        return lastDeadline.get();
    }

    /** Calls the server saw cancelled by the client (RST_STREAM) or by their deadline. */
    public int cancellations() {
        return cancellations.get();
    }

    public int callsStarted() {
        return callsStarted.get();
    }

    /** Starts a graceful shutdown (GOAWAY; in-flight calls finish) and returns at once. */
    public void shutdown() {
        server.shutdown();
    }

    /** Graceful shutdown, waiting up to 10 s for in-flight calls to finish. */
    public void stop() {
        server.shutdown();
        awaitTermination();
    }

    /** Abrupt shutdown: connections and calls are cut at once. */
    public void kill() {
        server.shutdownNow();
        awaitTermination();
    }

    /** Starts again on the same port after {@link #stop()} or {@link #kill()}. */
    public void restart() {
        if (!server.isTerminated()) {
            kill();
        }
        try {
            startServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server != null && !server.isTerminated()) {
            kill();
        }
        scheduler.shutdownNow();
    }

    private void startServer(int requestedPort) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, requestedPort))
                .addService(ServerInterceptors.intercept(new TestServiceImpl(scheduler), interceptors()));
        if (tls) {
            builder.sslContext(GrpcSslContexts.forServer(
                    new ByteArrayInputStream(serverCert.getCertificatePathPEM().getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(serverCert.getPrivateKeyPEM().getBytes(StandardCharsets.US_ASCII)))
                    .build());
        }
        server = customizer.apply(builder).build().start();
        port = server.getPort();
    }

    private List<ServerInterceptor> interceptors() {
        List<ServerInterceptor> all = new ArrayList<>(TestServiceImpl.interceptors());
        all.add(new Recorder());
        return all;
    }

    private X509Bundle requireCa() {
        if (ca == null) {
            throw new IllegalStateException("This backend is plaintext");
        }
        return ca;
    }

    private void awaitTermination() {
        try {
            if (!server.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records what assertions need; runs first, in the call's context. */
    private final class Recorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            callsStarted.incrementAndGet();
            lastHeaders.set(headers);
            lastAuthority.set(call.getAuthority());
            lastDeadline.set(Context.current().getDeadline());
            ServerCall<Q, R> naming = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void sendHeaders(Metadata responseHeaders) {
                    responseHeaders.put(SERVED_BY, host + ":" + port);
                    super.sendHeaders(responseHeaders);
                }
            };
            return new SimpleForwardingServerCallListener<>(next.startCall(naming, headers)) {
                @Override
                public void onCancel() {
                    cancellations.incrementAndGet();
                    super.onCancel();
                }
            };
        }
    }
}
