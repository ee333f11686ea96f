package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.channelz.SocketSnapshot;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code samples/tls-ssl-bundle.yml}: TLS to servers whose certificates a test CA issued for
 * {@code inventory.internal}; the bundle reads the CA from the directory the test injects.
 */
@Timeout(60)
class TlsSslBundleSampleTests {

    private static final Pki PKI = Pki.create("inventory test CA");

    @TempDir
    static Path tlsDir;

    private final List<GrpcBackend> backends = new ArrayList<>();
    private Sample sample;

    @BeforeAll
    static void writeCa() {
        PKI.writeCa(tlsDir);
    }

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        for (GrpcBackend backend : backends) {
            backend.close();
        }
    }

    @Test
    void callsGoOverTlsToServersTheBundleTrusts() {
        GrpcBackend first = backend(PKI, "inventory.internal");
        GrpcBackend second = backend(PKI, "inventory.internal");
        LbChannel inventory = start(first, second);
        ChannelConditions.awaitReadySubchannels(inventory, 2);

        for (int i = 0; i < 10; i++) {
            call(inventory);
        }

        assertThat(first.callsStarted()).isEqualTo(5);
        assertThat(second.callsStarted()).isEqualTo(5);
        List<SocketSnapshot> sockets = inventory.snapshot().subchannels().stream()
                .flatMap(s -> s.sockets().stream()).toList();
        assertThat(sockets).hasSize(2).allSatisfy(socket -> assertThat(socket.stats().tls().protocol()).startsWith("TLSv1."));
        assertThat(first.lastAuthority()).isEqualTo("inventory.internal");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        GrpcBackend billing = backend(PKI, "billing.internal");
        LbChannel inventory = start(billing);

        assertUnavailable(inventory);
        assertThat(billing.callsStarted()).isZero();
    }

    @Test
    void aServerFromAnotherCaIsRefused() {
        GrpcBackend impostor = backend(Pki.create("another CA"), "inventory.internal");
        LbChannel inventory = start(impostor);

        assertUnavailable(inventory);
        assertThat(impostor.callsStarted()).isZero();
    }

    private GrpcBackend backend(Pki pki, String name) {
        GrpcBackend backend = GrpcBackend.tls(pki.server(name));
        backends.add(backend);
        return backend;
    }

    private LbChannel start(GrpcBackend... servers) {
        String addresses = String.join(",", Arrays.stream(servers).map(GrpcBackend::address).toList());
        sample = Sample.start("tls-ssl-bundle", "inventory.addresses=" + addresses, "inventory.tls-dir=" + tlsDir);
        return sample.channel("inventory");
    }

    private static void call(LbChannel channel) {
        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
    }

    static void assertUnavailable(LbChannel channel) {
        assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
}
