package dev.lbchannel.boot.autoconfigure;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.testing.integration.TestServiceImpl;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java's interop TestService on loopback over TLS with {@link TestCertificates}' server
 * certificate, optionally requiring a client certificate issued by the same CA (mutual TLS).
 */
final class MutualTlsBackend implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Server server;

    private MutualTlsBackend(boolean requireClientCertificate) throws Exception {
        var ssl = GrpcSslContexts.forServer(pem(TestCertificates.server().getCertificatePathPEM()),
                pem(TestCertificates.server().getPrivateKeyPEM()));
        if (requireClientCertificate) {
            ssl.trustManager(pem(TestCertificates.caPem())).clientAuth(ClientAuth.REQUIRE);
        }
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TestServiceImpl(scheduler)).sslContext(ssl.build()).build().start();
    }

    static MutualTlsBackend start(boolean requireClientCertificate) {
        try {
            return new MutualTlsBackend(requireClientCertificate);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start TLS backend", e);
        }
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
        scheduler.shutdownNow();
    }

    private static InputStream pem(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
