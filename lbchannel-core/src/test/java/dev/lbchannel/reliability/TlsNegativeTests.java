package dev.lbchannel.reliability;

import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.transport.TlsContexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceImpl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * TLS set up wrong on one side or the other, against grpc-java's server: every case fails the
 * call UNAVAILABLE before any call reaches the service, for lbchannel (with a description that
 * says why) and for grpc-java's client, in the same run.
 */
@Timeout(120)
class TlsNegativeTests {

    private static final Instant NOW = Instant.now();
    private static X509Bundle ca;
    private static X509Bundle otherCa;
    private static X509Bundle client;
    private static final AtomicInteger calls = new AtomicInteger();
    private static final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    /** One misconfiguration: the server it meets and the client's settings. */
    enum Case {
        UNTRUSTED_CA(Server.GOOD, Trust.OTHER_CA, false, null, "not issued by a CA the channel trusts"),
        HOSTNAME_MISMATCH(Server.WRONG_NAME, Trust.CA, false, null, "does not cover '127.0.0.1'"),
        EXPIRED_CERTIFICATE(Server.EXPIRED, Trust.CA, false, null, "expired or not yet valid"),
        AUTHORITY_OVERRIDE_NOT_COVERED(Server.GOOD, Trust.CA, false, "orders.example", "does not cover 'orders.example'"),
        NO_H2_IN_ALPN(Server.HTTP1_ONLY, Trust.CA, false, null, "does not offer HTTP/2 (h2) in ALPN"),
        MTLS_WITHOUT_CLIENT_CERTIFICATE(Server.REQUIRES_CLIENT_CERT, Trust.CA, false, null, "client certificate"),
        TLS_TO_PLAINTEXT_SERVER(Server.PLAINTEXT, Trust.CA, false, null, "does not speak TLS"),
        PLAINTEXT_TO_TLS_SERVER(Server.GOOD, Trust.NONE, false, null, "speaks TLS");

        final Server server;
        final Trust trust;
        final boolean clientCertificate;
        final @Nullable String authority;
        final String why;

        Case(Server server, Trust trust, boolean clientCertificate, @Nullable String authority, String why) {
            this.server = server;
            this.trust = trust;
            this.clientCertificate = clientCertificate;
            this.authority = authority;
            this.why = why;
        }
    }

    enum Server { GOOD, WRONG_NAME, EXPIRED, REQUIRES_CLIENT_CERT, PLAINTEXT, HTTP1_ONLY }

    /** What the client trusts; NONE is a plaintext client. */
    enum Trust { CA, OTHER_CA, NONE }

    private static final java.util.Map<Server, Integer> ports = new java.util.EnumMap<>(Server.class);
    private static final java.util.List<io.grpc.Server> servers = new java.util.ArrayList<>();
    private static SSLServerSocket http1Only;

    @BeforeAll
    static void startServers() throws Exception {
        ca = new CertificateBuilder().subject("CN=lbchannel TLS test CA").setIsCertificateAuthority(true)
                .ecp256().buildSelfSigned();
        otherCa = new CertificateBuilder().subject("CN=another CA").setIsCertificateAuthority(true)
                .ecp256().buildSelfSigned();
        client = new CertificateBuilder().subject("CN=client").addExtendedKeyUsageClientAuth().ecp256().buildIssuedBy(ca);
        X509Bundle good = serverCertificate("localhost", NOW.plus(1, ChronoUnit.DAYS));
        ports.put(Server.GOOD, grpcServer(good, false));
        ports.put(Server.WRONG_NAME, grpcServer(serverCertificate("elsewhere.example", NOW.plus(1, ChronoUnit.DAYS)),
                false));
        ports.put(Server.EXPIRED, grpcServer(serverCertificate("localhost", NOW.minus(1, ChronoUnit.HOURS)), false));
        ports.put(Server.REQUIRES_CLIENT_CERT, grpcServer(good, true));
        ports.put(Server.PLAINTEXT, start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))));
        ports.put(Server.HTTP1_ONLY, http1OnlyServer(good));
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (io.grpc.Server server : servers) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        http1Only.close();
        executor.shutdownNow();
    }

    @ParameterizedTest(name = "lbchannel: {0}")
    @EnumSource(Case.class)
    void lbchannelFailsUnavailableAndSaysWhy(Case misconfigured) throws Exception {
        LbChannelBuilder builder = LbChannelBuilder.forTarget("static:///127.0.0.1:" + ports.get(misconfigured.server));
        if (misconfigured.trust == Trust.NONE) {
            builder.usePlaintext();
        } else {
            SslContextBuilder ssl = SslContextBuilder.forClient().trustManager(trust(misconfigured).toTrustManagerFactory());
            if (misconfigured.clientCertificate) {
                ssl.keyManager(client.toKeyManagerFactory());
            }
            builder.sslContext(TlsContexts.configure(ssl, TlsContexts.defaultProvider()).build());
        }
        if (misconfigured.authority != null) {
            builder.overrideAuthority(misconfigured.authority);
        }
        Status status = fail(builder.build());
        assertThat(status.getDescription()).as("why").containsIgnoringCase(misconfigured.why);
    }

    @ParameterizedTest(name = "grpc-java: {0}")
    @EnumSource(Case.class)
    void grpcJavaFailsUnavailable(Case misconfigured) throws Exception {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", ports.get(misconfigured.server));
        if (misconfigured.trust == Trust.NONE) {
            builder.usePlaintext();
        } else {
            var ssl = GrpcSslContexts.forClient().trustManager(trust(misconfigured).toTrustManagerFactory());
            if (misconfigured.clientCertificate) {
                ssl.keyManager(client.toKeyManagerFactory());
            }
            builder.sslContext(ssl.build());
        }
        if (misconfigured.authority != null) {
            builder.overrideAuthority(misconfigured.authority);
        }
        fail(builder.build());
    }

    /** Makes one call, which must fail UNAVAILABLE without reaching the service. */
    private static Status fail(ManagedChannel channel) throws InterruptedException {
        int before = calls.get();
        try {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> TestServiceGrpc
                    .newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance()));
            assertThat(e).as("the call fails").isNotNull();
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(calls.get()).as("calls that reached the service").isEqualTo(before);
            return e.getStatus();
        } finally {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static X509Bundle trust(Case misconfigured) {
        return misconfigured.trust == Trust.OTHER_CA ? otherCa : ca;
    }

    private static X509Bundle serverCertificate(String name, Instant notAfter) throws Exception {
        CertificateBuilder builder = new CertificateBuilder().subject("CN=" + name).addSanDnsName(name);
        if (name.equals("localhost")) {
            builder.addSanIpAddress("127.0.0.1");
        }
        return builder.addExtendedKeyUsageServerAuth()
                .notBefore(NOW.minus(2, ChronoUnit.DAYS)).notAfter(notAfter).ecp256().buildIssuedBy(ca);
    }

    private static int grpcServer(X509Bundle certificate, boolean requireClientCertificate) throws Exception {
        var ssl = GrpcSslContexts.configure(io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder
                .forServer(certificate.toKeyManagerFactory()));
        if (requireClientCertificate) {
            ssl.trustManager(ca.toTrustManagerFactory()).clientAuth(ClientAuth.REQUIRE);
        }
        return start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).sslContext(ssl.build()));
    }

    private static int start(NettyServerBuilder builder) throws IOException {
        io.grpc.Server server = builder.addService(ServerInterceptors.intercept(new TestServiceImpl(executor),
                new CallCounter())).build().start();
        servers.add(server);
        return server.getPort();
    }

    /** A TLS server that offers only {@code http/1.1} in ALPN, as a web server in front of gRPC might. */
    private static int http1OnlyServer(X509Bundle certificate) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(certificate.toKeyManagerFactory().getKeyManagers(), null, null);
        http1Only = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress());
        SSLParameters parameters = http1Only.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        http1Only.setSSLParameters(parameters);
        Thread acceptor = new Thread(() -> {
            while (!http1Only.isClosed()) {
                try (SSLSocket socket = (SSLSocket) http1Only.accept()) {
                    socket.startHandshake();
                    socket.getInputStream().read();
                } catch (IOException ignored) {
                    // the client gives up on the protocol; the next one is accepted
                }
            }
        }, "http1-only-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return http1Only.getLocalPort();
    }

    private static final class CallCounter implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            calls.incrementAndGet();
            return next.startCall(call, headers);
        }
    }
}
