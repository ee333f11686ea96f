package dev.lbchannel.boot.autoconfigure.etcd;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.etcd.testing.Etcd;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lbchannel.etcd.ssl.bundle} against a real etcd serving TLS: a channel on
 * {@code etcd:///orders} finds its backend through etcd reached with a Spring SSL bundle.
 */
@Timeout(60)
class LbChannelEtcdTlsTests {

    private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, LbChannelEtcdAutoConfiguration.class,
                    LbChannelAutoConfiguration.class));

    private static Etcd etcd;
    private static TestBackend backend;

    @BeforeAll
    static void start() {
        etcd = Etcd.startTls();
        backend = TestBackend.plaintext();
        etcd.register("orders/1", "127.0.0.1:" + backend.port(), 0);
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void aChannelFindsItsBackendThroughEtcdReachedWithTheSslBundle(@TempDir Path directory) throws IOException {
        Path ca = Files.writeString(directory.resolve("etcd-ca.pem"), etcd.caCertificatePem());
        RUNNER.withPropertyValues("spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + ca,
                "lbchannel.etcd.endpoints=" + etcd.endpoint(), "lbchannel.etcd.ssl.bundle=etcd",
                "lbchannel.channels.orders.target=etcd:///orders", "lbchannel.channels.orders.plaintext=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    LbChannel orders = context.getBean(LbChannels.class).get("orders");

                    TestServiceGrpc.newBlockingStub(orders).withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS)
                            .emptyCall(Empty.getDefaultInstance());

                    assertThat(backend.callsStarted()).isPositive();
                    assertThat(orders.snapshot().resolution().endpoints()).isEqualTo(1);
                });
    }

    @Test
    void anUnknownBundleNamesTheProperty() {
        RUNNER.withPropertyValues("lbchannel.etcd.ssl.bundle=nope").run(context -> {
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof InvalidConfigurationPropertyValueException)) {
                cause = cause.getCause();
            }
            assertThat(cause).isNotNull();
            assertThat(((InvalidConfigurationPropertyValueException) cause).getName()).isEqualTo("lbchannel.etcd.ssl.bundle");
            assertThat(cause.getMessage()).contains("nope");
        });
    }
}
