package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/mtls.yml}: a server that requires a client certificate from the test CA; the
 * bundle reads the CA, the client certificate and its key from the directory the test injects.
 */
@Timeout(60)
class MtlsSampleTests {

    private static final Pki PKI = Pki.create("payments test CA");

    @TempDir
    static Path tlsDir;

    private GrpcBackend payments;
    private Sample sample;

    @BeforeAll
    static void writeFiles() {
        PKI.writeCa(tlsDir);
        Pki.writeClient(tlsDir, PKI.client("storefront"));
    }

    @BeforeEach
    void startBackend() {
        payments = GrpcBackend.builder().tls(PKI.server("payments.internal")).requireClientCertificate(PKI.ca()).start();
    }

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        payments.close();
    }

    @Test
    void theServerSeesTheClientCertificate() {
        sample = Sample.start("mtls", properties());
        LbChannel channel = sample.channel("payments");

        TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance());

        assertThat(payments.lastClientSubject()).isEqualTo("CN=storefront");
        assertThat(payments.lastAuthority()).isEqualTo("payments.internal");
    }

    @Test
    void aBundleWithoutTheClientKeyIsRefused() {
        // The same channel, pointed at a bundle with the same trust and no keystore.
        sample = Sample.start("mtls", properties(
                "spring.ssl.bundle.pem.trust-only.truststore.certificate=file:" + tlsDir.resolve("ca.pem"),
                "lbchannel.channels.payments.ssl.bundle=trust-only"));

        TlsSslBundleSampleTests.assertUnavailable(sample.channel("payments"));
        assertThat(payments.callsStarted()).isZero();
    }

    private String[] properties(String... more) {
        String[] all = new String[2 + more.length];
        all[0] = "payments.address=" + payments.address();
        all[1] = "payments.tls-dir=" + tlsDir;
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }
}
