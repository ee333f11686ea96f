package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.CallTally;
import dev.lbchannel.testing.MutualTlsBackend;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate rotation without a restart, as issue 17 asks: a PEM bundle on files with
 * {@code reload-on-update: true} gives a channel its trust and client key; under 100 calls a
 * second the key pair files are replaced by a new key pair signed by the same CA. New connections
 * present the new certificate (the server records it) and no call fails.
 */
@SpringBootTest(classes = SslBundleRotationTests.App.class)
@DirtiesContext
@Timeout(120)
class SslBundleRotationTests {

    private static final int CALLS_PER_SECOND = 100;
    private static final MutualTlsBackend BACKEND = MutualTlsBackend.start();
    private static final Path DIR = tempDir();

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) {
        write("ca.pem", BACKEND.ca().getCertificatePEM());
        writeKeyPair(BACKEND.clientCertificate("client-a"));
        String bundle = "spring.ssl.bundle.pem.orders-client.";
        registry.add(bundle + "reload-on-update", () -> "true");
        registry.add(bundle + "truststore.certificate", () -> "file:" + DIR.resolve("ca.pem"));
        registry.add(bundle + "keystore.certificate", () -> "file:" + DIR.resolve("client.crt"));
        registry.add(bundle + "keystore.private-key", () -> "file:" + DIR.resolve("client.key"));
        registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
        registry.add("lbchannel.channels.orders.target", () -> "static:///127.0.0.1:" + BACKEND.port());
        registry.add("lbchannel.channels.orders.ssl.bundle", () -> "orders-client");
    }

    @AfterAll
    static void stopBackend() throws Exception {
        BACKEND.close();
    }

    @Test
    void rotatedPemFilesAreUsedByNewConnectionsAndNoCallFails() {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        CallTally calls = new CallTally();
        try {
            ScheduledFuture<?> load = pacer.scheduleAtFixedRate(() -> ClientCalls.asyncUnaryCall(
                    channels.get("orders").newCall(TestServiceGrpc.getUnaryCallMethod(),
                            CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                    SimpleRequest.newBuilder().setResponseSize(16).build(), calls.start()),
                    0, 1_000_000 / CALLS_PER_SECOND, TimeUnit.MICROSECONDS);
            Await.until("calls with the first certificate", () -> BACKEND.calls("client-a") >= 50);

            writeKeyPair(BACKEND.clientCertificate("client-b"));

            Await.until("calls with the rotated certificate", Duration.ofSeconds(60),
                    () -> BACKEND.calls("client-b") >= 100);
            Await.until("the old connection drained", () -> BACKEND.connections().get(0).isClosed());
            load.cancel(false);
            calls.awaitAllEnded(Duration.ofSeconds(30));
        } finally {
            pacer.shutdownNow();
        }

        assertThat(calls.failures()).as("calls failed while the certificate rotated").isEmpty();
        assertThat(BACKEND.connections()).extracting(MutualTlsBackend.Connection::clientSubject)
                .as("the client certificate each connection presented").containsExactly("CN=client-a", "CN=client-b");
    }

    /** Replaces the key pair files as a certificate manager does: each written aside, then moved in. */
    private static void writeKeyPair(X509Bundle keyPair) {
        write("client.key", keyPair.getPrivateKeyPEM());
        write("client.crt", keyPair.getCertificatePathPEM());
    }

    private static void write(String name, String pem) {
        try {
            Path aside = Files.writeString(DIR.resolve(name + ".tmp"), pem, StandardCharsets.US_ASCII);
            Files.move(aside, DIR.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("lbchannel-ssl-rotation");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
