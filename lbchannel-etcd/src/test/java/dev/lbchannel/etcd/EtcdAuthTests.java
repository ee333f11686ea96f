package dev.lbchannel.etcd;

import dev.lbchannel.resolver.RecordingResolverListener;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** etcd with authentication on: the resolver authenticates with its credentials, and never shows the password. */
@Timeout(60)
class EtcdAuthTests extends EtcdServerTestCase {

    private static final String PASSWORD = "s3cret-pw";

    @BeforeAll
    static void enableAuth() {
        etcd.enableAuth(PASSWORD);
        etcd.etcdctlAsRoot(PASSWORD, "put", "auth/a", "{\"Op\":0,\"Addr\":\"10.0.12.1:1\",\"Metadata\":null}");
    }

    @Test
    void withCredentialsTheResolverListsAndWatches() {
        RecordingResolverListener listener = new RecordingResolverListener();
        start(EtcdResolverProvider.builder().credentials("root", PASSWORD), listener);

        assertThat(listener.awaitEvent(1).addresses()).containsExactly(List.of("10.0.12.1:1"));
        etcd.etcdctlAsRoot(PASSWORD, "put", "auth/b", "{\"Op\":0,\"Addr\":\"10.0.12.2:1\",\"Metadata\":null}");
        listener.awaitResult("b through the authenticated watch", e -> e.addresses().size() == 2);
    }

    @Test
    void withoutCredentialsEtcdRefusesAndTheErrorSaysSo() {
        RecordingResolverListener listener = new RecordingResolverListener();
        start(EtcdResolverProvider.builder(), listener);

        Status error = listener.awaitError();

        assertThat(error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(error.getDescription()).contains("listing the prefix failed").contains("INVALID_ARGUMENT")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        RecordingResolverListener listener = new RecordingResolverListener();
        start(EtcdResolverProvider.builder().credentials("root", "wrong-pw"), listener);

        Status error = listener.awaitError();

        assertThat(error.getDescription()).contains("authentication failed").doesNotContain("wrong-pw");
    }

    private void start(EtcdResolverProvider.Builder provider, RecordingResolverListener listener) {
        start("etcd://" + etcd.endpoint() + "/auth", provider, listener);
    }
}
