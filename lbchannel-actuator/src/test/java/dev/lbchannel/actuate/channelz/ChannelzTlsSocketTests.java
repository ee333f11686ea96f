package dev.lbchannel.actuate.channelz;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.ActuatorTestApplication;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.lbchannel.actuate.ActuatorHttp.list;
import static dev.lbchannel.actuate.ActuatorHttp.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS channel's socket in {@code /actuator/channelz}: the negotiated protocol, cipher suite and
 * the server certificate's subject, from a real handshake with a grpc-java server; nothing of the
 * key material or the certificate itself.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=channelz",
        "lbchannel.channels.secure.ssl.bundle=secure-client"})
@DirtiesContext
@Timeout(120)
class ChannelzTlsSocketTests {

    private static final TestBackend BACKEND = TestBackend.tls();

    @LocalServerPort
    int port;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.secure.target", () -> "static:///127.0.0.1:" + BACKEND.port());
        registry.add("spring.ssl.bundle.pem.secure-client.truststore.certificate", BACKEND::caCertificatePem);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void aTlsSocketShowsProtocolCipherAndPeerSubject() {
        TestServiceGrpc.newBlockingStub(channels.get("secure")).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());

        ActuatorHttp.Response response = new ActuatorHttp(port).get("/actuator/channelz/secure");

        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> subchannel = map(list(response.json().get("subchannels")).get(0));
        Map<String, Object> socket = map(list(subchannel.get("sockets")).get(0));
        Map<String, Object> tls = map(socket.get("tls"));
        assertThat((String) tls.get("protocol")).matches("TLSv1\\.[23]");
        assertThat((String) tls.get("cipher")).startsWith("TLS_");
        assertThat(tls.get("peerSubject")).isEqualTo("CN=localhost");
        assertThat((String) socket.get("security")).contains((String) tls.get("cipher")).contains("peer=CN=localhost");
        assertThat(response.body()).doesNotContain("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY")
                .doesNotContain(ActuatorTestApplication.SECRET);
    }
}
