package dev.lbchannel.actuate;

import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.CapturedLogs;
import dev.lbchannel.testing.MutualTlsBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A canary key-store password and key password, given the way Spring users give them (an SSL
 * bundle of {@code spring.ssl.bundle.jks.*} with a PKCS#12 key store and trust store), open a
 * mutual-TLS channel to a grpc-java server; neither canary then appears in any log line (Spring's
 * output at TRACE for lbchannel and DEBUG for Netty, and java.util.logging at every level), in
 * {@code /actuator/channelz} or {@code /actuator/health}.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=channelz,health",
        "management.endpoint.health.show-details=always",
        "logging.level.dev.lbchannel=TRACE",
        "logging.level.io.netty=DEBUG",
        "logging.level.org.springframework.boot.ssl=TRACE",
        "lbchannel.channels.mtls.ssl.bundle=canary",
        "spring.ssl.bundle.jks.canary.keystore.type=PKCS12",
        "spring.ssl.bundle.jks.canary.truststore.type=PKCS12"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
class KeyPasswordStaysOutTests {

    private static final String STORE_PASSWORD = "lbchannel-canary-store-3e8b21";
    private static final String KEY_PASSWORD = "lbchannel-canary-keypw-90c4d7";
    private static final String TRUST_PASSWORD = "lbchannel-canary-trust-5a17f0";
    private static final MutualTlsBackend BACKEND = MutualTlsBackend.start();
    private static final CapturedLogs JUL = new CapturedLogs();

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry registry) throws Exception {
        X509Bundle client = BACKEND.clientCertificate("canary-client");
        File keyStore = client.toTempKeyStoreFile(STORE_PASSWORD.toCharArray(), KEY_PASSWORD.toCharArray());
        keyStore.deleteOnExit();
        registry.add("lbchannel.channels.mtls.target", () -> "static:///127.0.0.1:" + BACKEND.port());
        registry.add("spring.ssl.bundle.jks.canary.keystore.location", () -> keyStore.toURI().toString());
        registry.add("spring.ssl.bundle.jks.canary.keystore.password", () -> STORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.canary.key.password", () -> KEY_PASSWORD);
        File trustStore = trustStore(BACKEND.ca());
        registry.add("spring.ssl.bundle.jks.canary.truststore.location", () -> trustStore.toURI().toString());
        registry.add("spring.ssl.bundle.jks.canary.truststore.password", () -> TRUST_PASSWORD);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        JUL.close();
        BACKEND.close();
    }

    @Test
    void passwordsOpenTheChannelAndAppearNowhere(CapturedOutput output) {
        TestServiceGrpc.newBlockingStub(channels.get("mtls")).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
        assertThat(BACKEND.calls("canary-client")).as("the call went over mutual TLS").isPositive();

        ActuatorHttp http = new ActuatorHttp(port);
        List<String> seen = List.of(http.get("/actuator/channelz").body(), http.get("/actuator/channelz/mtls").body(),
                http.get("/actuator/health").body(), output.getAll(), String.join("\n", JUL.records()));
        assertThat(output.getAll()).as("TRACE logging was on").contains("dev.lbchannel");
        for (String text : seen) {
            assertThat(text).doesNotContain(STORE_PASSWORD).doesNotContain(KEY_PASSWORD).doesNotContain(TRUST_PASSWORD);
        }
    }

    private static File trustStore(X509Bundle ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca.getCertificate());
        File file = Files.createTempFile("lbchannel-canary-trust", ".p12").toFile();
        file.deleteOnExit();
        try (OutputStream out = new FileOutputStream(file)) {
            store.store(out, TRUST_PASSWORD.toCharArray());
        }
        return file;
    }
}
