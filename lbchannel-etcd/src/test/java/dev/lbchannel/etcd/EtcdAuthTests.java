package dev.lbchannel.etcd;

import dev.lbchannel.etcd.testing.Etcd;
import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** etcd with authentication on: the resolver authenticates with its credentials, and never shows the password. */
@Timeout(60)
class EtcdAuthTests {

    private static final String PASSWORD = "s3cret-pw";

    private static ResolverTestEnvironment environment;
    private static Etcd etcd;
    private final List<Resolver> resolvers = new ArrayList<>();

    @BeforeAll
    static void startEtcd() {
        environment = new ResolverTestEnvironment();
        etcd = Etcd.start();
        etcd.enableAuth(PASSWORD);
        etcd.etcdctlAsRoot(PASSWORD, "put", "auth/a", "{\"Op\":0,\"Addr\":\"10.0.12.1:1\",\"Metadata\":null}");
    }

    @AfterAll
    static void stopEtcd() throws InterruptedException {
        if (etcd != null) {
            etcd.close();
        }
        environment.close();
    }

    @AfterEach
    void shutdownResolvers() {
        resolvers.forEach(Resolver::shutdown);
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
        Resolver resolver = provider.backoff(EtcdResolverTests.FAST_BACKOFF).build()
                .newResolver(Target.parse("etcd://" + etcd.endpoint() + "/auth"), environment.args(443));
        resolvers.add(resolver);
        resolver.start(listener);
    }
}
