package dev.lbchannel.etcd;

import dev.lbchannel.etcd.testing.Etcd;
import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.transport.TlsContexts;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** etcd serving TLS: the resolver reaches it with the provider's SslContext, and not without trust. */
@Timeout(60)
class EtcdTlsTests extends EtcdServerTestCase {

    /** Replaces the base class's plaintext etcd (closed here, so nothing is left running) with one serving TLS. */
    @BeforeAll
    static void serveTls() {
        etcd.close();
        etcd = Etcd.startTls();
        etcd.register("tls/a", "10.0.13.1:1", 0);
    }

    @Test
    void httpsEndpointsWithTheProvidersSslContextListAndWatch() {
        RecordingResolverListener listener = start(EtcdResolverProvider.builder().endpoints("https://" + etcd.endpoint())
                .sslContext(TlsContexts.forClient(etcd.trustManagerFactory())));

        assertThat(listener.awaitEvent(1).addresses()).containsExactly(List.of("10.0.13.1:1"));
        etcd.register("tls/b", "10.0.13.2:1", 0);
        listener.awaitResult("b through the TLS watch", e -> e.addresses().size() == 2);
    }

    @Test
    void withoutTrustInEtcdsCertificateNothingIsListed() {
        RecordingResolverListener listener = start(EtcdResolverProvider.builder().endpoints("https://" + etcd.endpoint()));

        Status error = listener.awaitError();

        assertThat(error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(listener.results()).isEmpty();
    }

    private RecordingResolverListener start(EtcdResolverProvider.Builder provider) {
        RecordingResolverListener listener = new RecordingResolverListener();
        start("etcd:///tls", provider, listener);
        return listener;
    }
}
