package dev.lbchannel.samples;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.testing.integration.TestServiceImpl;
import io.netty.pkitesting.X509Bundle;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * grpc-java's interop TestService (and the standard health service) on 127.0.0.1 with what the TLS and keepalive samples need
 * beyond {@code dev.lbchannel.testing.TestBackend}: a server certificate of the test's choosing,
 * an optional client-certificate requirement (mutual TLS), and a keepalive policy. It records
 * the calls it starts, the last request's headers, deadline and authority, and the subject of the last
 * client certificate. Thread-safe.
 */
final class GrpcBackend implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "grpc-backend-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger callsStarted = new AtomicInteger();
    private final AtomicReference<@Nullable Metadata> lastHeaders = new AtomicReference<>();
    private final AtomicReference<@Nullable Deadline> lastDeadline = new AtomicReference<>();
    private final AtomicReference<@Nullable String> lastClientSubject = new AtomicReference<>();
    private final AtomicReference<@Nullable String> lastAuthority = new AtomicReference<>();
    private final Server server;

    private GrpcBackend(Builder builder) throws Exception {
        try {
            this.server = build(builder).build().start();
        } catch (Exception | Error e) {
            // The scheduler thread was started with this object; nobody else can stop it now.
            scheduler.shutdownNow();
            throw e;
        }
    }

    private NettyServerBuilder build(Builder builder) throws Exception {
        List<ServerInterceptor> interceptors = new ArrayList<>(TestServiceImpl.interceptors());
        interceptors.add(new Recorder());
        NettyServerBuilder server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new TestServiceImpl(scheduler), interceptors))
                .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), new Recorder()));
        if (builder.certificate != null) {
            SslContextBuilder ssl = GrpcSslContexts.forServer(pem(builder.certificate.getCertificatePathPEM()),
                    pem(builder.certificate.getPrivateKeyPEM()));
            if (builder.clientCa != null) {
                ssl.trustManager(pem(builder.clientCa.getCertificatePEM())).clientAuth(ClientAuth.REQUIRE);
            }
            server.sslContext(ssl.build());
        }
        if (builder.keepAlivePermit != null) {
            server.permitKeepAliveTime(builder.keepAlivePermit.toNanos(), TimeUnit.NANOSECONDS)
                    .permitKeepAliveWithoutCalls(true);
        }
        return server;
    }

    static Builder builder() {
        return new Builder();
    }

    /** A TLS backend presenting {@code certificate}. */
    static GrpcBackend tls(X509Bundle certificate) {
        return builder().tls(certificate).start();
    }

    int port() {
        return server.getPort();
    }

    /** {@code 127.0.0.1:<port>}, as the samples' static targets list it. */
    String address() {
        return "127.0.0.1:" + port();
    }

    int callsStarted() {
        return callsStarted.get();
    }

    @Nullable Metadata lastHeaders() {
        return lastHeaders.get();
    }

    @Nullable Deadline lastDeadline() {
        return lastDeadline.get();
    }

    /** The :authority of the last call. */
    @Nullable String lastAuthority() {
        return lastAuthority.get();
    }

    /** The subject of the client certificate of the last call, or {@code null} without one. */
    @Nullable String lastClientSubject() {
        return lastClientSubject.get();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static InputStream pem(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Records what the tests assert on; runs first, in the call's context. */
    private final class Recorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            callsStarted.incrementAndGet();
            lastHeaders.set(headers);
            lastDeadline.set(Context.current().getDeadline());
            lastAuthority.set(call.getAuthority());
            lastClientSubject.set(clientSubject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
            return next.startCall(call, headers);
        }

        private @Nullable String clientSubject(@Nullable SSLSession session) {
            try {
                return session == null ? null
                        : ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }
    }

    /** Options for a {@link GrpcBackend}; plaintext unless {@link #tls} is called. */
    static final class Builder {
        private @Nullable X509Bundle certificate;
        private @Nullable X509Bundle clientCa;
        private @Nullable Duration keepAlivePermit;

        Builder tls(X509Bundle serverCertificate) {
            this.certificate = serverCertificate;
            return this;
        }

        /** Requires a client certificate issued by {@code ca} (mutual TLS). */
        Builder requireClientCertificate(X509Bundle ca) {
            this.clientCa = ca;
            return this;
        }

        /** Allows client pings this often, with or without calls in flight. */
        Builder permitKeepAlive(Duration interval) {
            this.keepAlivePermit = interval;
            return this;
        }

        GrpcBackend start() {
            try {
                return new GrpcBackend(this);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the gRPC backend", e);
            }
        }
    }
}
