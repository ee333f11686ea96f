package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.Dnsmasq;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every test class against a real DNS server shares: one dnsmasq on loopback for the class,
 * the resolver environment, a recording listener, and resolvers shut down after each test. Its
 * answers carry a TTL of {@link #TTL}, which only a resolver with {@code honorTtl} reads.
 */
abstract class DnsServerTestCase {

    static final Duration TTL = Duration.ofSeconds(1);

    static ResolverTestEnvironment environment;
    static Dnsmasq dns;
    final List<Resolver> resolvers = new ArrayList<>();
    final RecordingResolverListener listener = new RecordingResolverListener();

    @BeforeAll
    static void startDns() {
        environment = new ResolverTestEnvironment();
        dns = Dnsmasq.start(TTL);
    }

    @AfterAll
    static void stopDns() throws InterruptedException {
        if (dns != null) {
            dns.close();
        }
        environment.close();
    }

    @AfterEach
    void shutdownResolvers() {
        resolvers.forEach(Resolver::shutdown);
    }

    /**
     * The queries dnsmasq logged for {@code name}, read once it has logged at least
     * {@code expected}: its log trails its answers, so an exact count is read after a bounded wait.
     */
    static long queries(String type, String name, long expected) {
        Await.until(expected + " " + type + " queries for " + name + " in dnsmasq's log", Duration.ofSeconds(10),
                () -> dns.queries(type, name) >= expected);
        return dns.queries(type, name);
    }

    /** Starts a resolver for {@code target} that reports to {@link #listener}. */
    Resolver start(String target, DnsResolverProvider provider) {
        Resolver resolver = provider.newResolver(Target.parse(target), environment.args(443));
        resolvers.add(resolver);
        resolver.start(listener);
        return resolver;
    }
}
