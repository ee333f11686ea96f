package dev.lbchannel.etcd;

import dev.lbchannel.BackoffPolicy;
import dev.lbchannel.etcd.testing.Etcd;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every resolver test class against a real etcd shares: one etcd on loopback for the class,
 * the resolver environment, and resolvers (with a short backoff) shut down after each test.
 */
abstract class EtcdServerTestCase {

    /** Reconnects within a second, so tests of outages need not wait long. */
    static final BackoffPolicy FAST_BACKOFF = new BackoffPolicy(Duration.ofMillis(100), 1.6, 0.2,
            Duration.ofSeconds(1), Duration.ofSeconds(1));

    static ResolverTestEnvironment environment;
    static Etcd etcd;
    final List<Resolver> resolvers = new ArrayList<>();

    @BeforeAll
    static void startEtcd() {
        environment = new ResolverTestEnvironment();
        etcd = Etcd.start();
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

    /** Starts a resolver for {@code target} from {@code provider} (with the fast backoff), reporting to {@code listener}. */
    Resolver start(String target, EtcdResolverProvider.Builder provider, ResolverListener listener) {
        Resolver resolver = provider.backoff(FAST_BACKOFF).build().newResolver(Target.parse(target), environment.args(443));
        resolvers.add(resolver);
        resolver.start(listener);
        return resolver;
    }
}
