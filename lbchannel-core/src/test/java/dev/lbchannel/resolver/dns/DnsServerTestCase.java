package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import dev.lbchannel.testing.Dnsmasq;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.ArrayList;
import java.util.List;

/**
 * What every test class against a real DNS server shares: one dnsmasq on loopback for the class,
 * the resolver environment, a recording listener, and resolvers shut down after each test.
 */
abstract class DnsServerTestCase {

    static ResolverTestEnvironment environment;
    static Dnsmasq dns;
    final List<Resolver> resolvers = new ArrayList<>();
    final RecordingResolverListener listener = new RecordingResolverListener();

    @BeforeAll
    static void startDns() {
        environment = new ResolverTestEnvironment();
        dns = Dnsmasq.start();
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

    /** Starts a resolver for {@code target} that reports to {@link #listener}. */
    Resolver start(String target, DnsResolverProvider provider) {
        Resolver resolver = provider.newResolver(Target.parse(target), environment.args(443));
        resolvers.add(resolver);
        resolver.start(listener);
        return resolver;
    }
}
