package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.boot.LbChannels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS and mutual TLS through Spring SSL bundles, against grpc-java servers on loopback. */
@Timeout(60)
class SslBundleChannelTests {

    private static ApplicationContextRunner channel(int port, String... properties) {
        return LbChannelAutoConfigurationTests.RUNNER
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:" + port,
                        "spring.ssl.bundle.pem.orders-client.truststore.certificate=" + TestCertificates.caPem())
                .withPropertyValues(properties);
    }

    private static Empty call(LbChannels channels) {
        return TestServiceGrpc.newBlockingStub(channels.get("orders")).withDeadlineAfter(10, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
    }

    @Test
    void anSslBundleTrustsTheServer() throws Exception {
        try (MutualTlsBackend backend = MutualTlsBackend.start(false)) {
            channel(backend.port(), "lbchannel.channels.orders.ssl.bundle=orders-client")
                    .run(context -> assertThat(call(context.getBean(LbChannels.class))).isNotNull());
        }
    }

    @Test
    void theSslBundleMergesFromTheDefaults() throws Exception {
        try (MutualTlsBackend backend = MutualTlsBackend.start(false)) {
            channel(backend.port(), "lbchannel.defaults.ssl.bundle=orders-client")
                    .run(context -> assertThat(call(context.getBean(LbChannels.class))).isNotNull());
        }
    }

    @Test
    void hostnameVerificationRejectsAnAuthorityTheCertificateDoesNotName() throws Exception {
        try (MutualTlsBackend backend = MutualTlsBackend.start(false)) {
            channel(backend.port(), "lbchannel.channels.orders.ssl.bundle=orders-client",
                    "lbchannel.channels.orders.authority=orders.example.com:" + backend.port())
                    .run(context -> assertThatThrownBy(() -> call(context.getBean(LbChannels.class)))
                            .isInstanceOfSatisfying(StatusRuntimeException.class,
                                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE)));
        }
    }

    @Test
    void anAuthorityTheCertificateNamesIsAccepted() throws Exception {
        try (MutualTlsBackend backend = MutualTlsBackend.start(false)) {
            channel(backend.port(), "lbchannel.channels.orders.ssl.bundle=orders-client",
                    "lbchannel.channels.orders.authority=localhost:" + backend.port())
                    .run(context -> assertThat(call(context.getBean(LbChannels.class))).isNotNull());
        }
    }

    @Test
    void withoutTheBundleTheTestCaIsNotTrusted() throws Exception {
        try (MutualTlsBackend backend = MutualTlsBackend.start(false)) {
            channel(backend.port()).run(context -> assertThatThrownBy(() -> call(context.getBean(LbChannels.class)))
                    .isInstanceOf(StatusRuntimeException.class));
        }
    }

    @Test
    void aBundleWithAKeyStoreGivesMutualTls() throws Exception {
        try (MutualTlsBackend backend = MutualTlsBackend.start(true)) {
            channel(backend.port(), "lbchannel.channels.orders.ssl.bundle=orders-client",
                    "spring.ssl.bundle.pem.orders-client.keystore.certificate=" + TestCertificates.clientCertificatePem(),
                    "spring.ssl.bundle.pem.orders-client.keystore.private-key=" + TestCertificates.clientPrivateKeyPem())
                    .run(context -> assertThat(call(context.getBean(LbChannels.class))).isNotNull());
        }
    }

    @Test
    void aServerRequiringAClientCertificateRefusesABundleWithoutOne() throws Exception {
        try (MutualTlsBackend backend = MutualTlsBackend.start(true)) {
            channel(backend.port(), "lbchannel.channels.orders.ssl.bundle=orders-client")
                    .run(context -> assertThatThrownBy(() -> call(context.getBean(LbChannels.class)))
                            .isInstanceOf(StatusRuntimeException.class));
        }
    }
}
