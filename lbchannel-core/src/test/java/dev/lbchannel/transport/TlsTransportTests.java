package dev.lbchannel.transport;

import dev.lbchannel.testing.TestBackend;
import dev.lbchannel.transport.TransportFixture.Call;
import dev.lbchannel.transport.TransportFixture.Connected;
import io.grpc.Status;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** TLS with ALPN h2 and hostname verification, on the JDK's and OpenSSL's engines. */
@Timeout(60)
class TlsTransportTests {

    private static TestBackend backend;
    private TransportFixture fixture;

    @BeforeAll
    static void startBackend() {
        backend = TestBackend.tls();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @BeforeEach
    void setUp() {
        fixture = new TransportFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private SslContext context(SslProvider provider) throws Exception {
        return TlsContexts.configure(SslContextBuilder.forClient().trustManager(backend.trustManagerFactory()), provider)
                .build();
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void unaryCallOverTls(SslProvider provider) throws Exception {
        Connected connected = fixture.connect(fixture.options().sslContext(context(provider)).build(),
                backend.address(), backend.authority());

        Call call = connected.unary(TestServiceGrpc.getUnaryCallMethod(),
                SimpleRequest.newBuilder().setResponseSize(100).build());

        assertThat(call.listener().awaitClose().status().isOk()).isTrue();
        TlsSession tls = connected.transport().stats().tls();
        assertThat(tls).isNotNull();
        assertThat(tls.protocol()).startsWith("TLSv1.");
        assertThat(tls.cipherSuite()).startsWith("TLS_");
        assertThat(tls.peerSubject()).contains("CN=localhost");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void wrongAuthorityFailsHostnameVerification(SslProvider provider) throws Exception {
        Connected connected = fixture.start(fixture.options().sslContext(context(provider)).build(),
                backend.address(), "wrong.example.com:" + backend.port());

        Status status = connected.listener().awaitShutdown();
        connected.listener().awaitTerminated();

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("TLS");
        assertThat(connected.listener().ready).isNotDone();
    }

    @Test
    void ipAuthorityMatchesTheIpSan() throws Exception {
        Connected connected = fixture.connect(fixture.options().sslContext(context(SslProvider.JDK)).build(),
                backend.address(), "127.0.0.1:" + backend.port());

        Call call = connected.unary(TestServiceGrpc.getUnaryCallMethod(), SimpleRequest.getDefaultInstance());

        assertThat(call.listener().awaitClose().status().isOk()).isTrue();
    }
}
