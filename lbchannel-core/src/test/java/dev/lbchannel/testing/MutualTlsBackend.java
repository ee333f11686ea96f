package dev.lbchannel.testing;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerTransportFilter;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.testing.integration.TestServiceImpl;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * grpc-java's interop TestService on {@code 127.0.0.1} over TLS that requires a client
 * certificate from its own test CA, and records which client certificate (by subject) each
 * connection presented, when each connection closed, and how many calls each certificate carried.
 * {@link #clientCertificate(String)} issues more certificates from the same CA, as a rotation
 * does. Thread-safe.
 */
public final class MutualTlsBackend implements AutoCloseable {

    private static final Attributes.Key<Connection> CONNECTION = Attributes.Key.create("test-connection");

    private final X509Bundle ca;
    private final X509Bundle serverCert;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mtls-backend-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> callsBySubject = new ConcurrentHashMap<>();
    /** grpc.health.v1 for client-side health checking; the health calls are not counted as calls. */
    private final HealthStatusManager health = new HealthStatusManager();
    private final Server server;

    private MutualTlsBackend() throws Exception {
        ca = certificates().subject("CN=lbchannel mTLS test CA").setIsCertificateAuthority(true).buildSelfSigned();
        serverCert = certificates().subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        var ssl = GrpcSslContexts.forServer(pem(serverCert.getCertificatePathPEM()), pem(serverCert.getPrivateKeyPEM()))
                .trustManager(pem(ca.getCertificatePEM())).clientAuth(ClientAuth.REQUIRE);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new TestServiceImpl(scheduler), new CallRecorder()))
                .addService(health.getHealthService())
                .addTransportFilter(new ConnectionRecorder())
                .sslContext(ssl.build())
                .build().start();
    }

    public static MutualTlsBackend start() {
        try {
            return new MutualTlsBackend();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the mutual TLS backend", e);
        }
    }

    /** A new client certificate and key, {@code CN=<name>}, issued by this backend's CA. */
    public X509Bundle clientCertificate(String name) {
        try {
            return certificates().subject("CN=" + name).addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Bundle ca() {
        return ca;
    }

    /** Reports {@code service} SERVING to health checks (grpc-java's {@code HealthStatusManager}). */
    public void serving(String service) {
        health.setStatus(service, HealthCheckResponse.ServingStatus.SERVING);
    }

    public int port() {
        return server.getPort();
    }

    /** Every connection that completed its handshake, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Calls that arrived on connections whose client certificate is {@code CN=<name>}. */
    public int calls(String name) {
        AtomicInteger count = callsBySubject.get("CN=" + name);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
        scheduler.shutdownNow();
    }

    /** One server-side connection: the client certificate's subject, and whether it has closed. */
    public static final class Connection {
        private final String clientSubject;
        private volatile boolean closed;

        Connection(String clientSubject) {
            this.clientSubject = clientSubject;
        }

        public String clientSubject() {
            return clientSubject;
        }

        public boolean isClosed() {
            return closed;
        }

        @Override
        public String toString() {
            return clientSubject + (closed ? " (closed)" : " (open)");
        }
    }

    private static CertificateBuilder certificates() {
        Instant now = Instant.now();
        return new CertificateBuilder().notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256();
    }

    private static String clientSubject(@Nullable SSLSession session) {
        try {
            return session == null ? "none"
                    : ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "none";
        }
    }

    private static InputStream pem(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    private final class ConnectionRecorder extends ServerTransportFilter {
        @Override
        public Attributes transportReady(Attributes attributes) {
            Connection connection = new Connection(clientSubject(attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
            connections.add(connection);
            return attributes.toBuilder().set(CONNECTION, connection).build();
        }

        @Override
        public void transportTerminated(Attributes attributes) {
            Connection connection = attributes.get(CONNECTION);
            if (connection != null) {
                connection.closed = true;
            }
        }
    }

    private final class CallRecorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            String subject = clientSubject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            callsBySubject.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
            return next.startCall(call, headers);
        }
    }
}
