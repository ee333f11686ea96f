package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.resolver.RecordingResolverListener.Event;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.Dnsmasq;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Re-resolution: the refresh rate limit and the periodic refresh, against dnsmasq on loopback. */
@Timeout(60)
class DnsRefreshTests {

    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final ResolverTestEnvironment environment = new ResolverTestEnvironment();
    private static Dnsmasq dns;
    private final List<Resolver> resolvers = new ArrayList<>();
    private final RecordingResolverListener listener = new RecordingResolverListener();

    @BeforeAll
    static void startDns() {
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

    @Test
    void refreshInsideTheWindowIsDeferredToItsEndAndCoalescedNotDropped() {
        dns.hosts("limited.test", "10.0.2.1");
        Resolver resolver = start("limited.test:1", DnsResolverProvider.builder().minRefreshInterval(WINDOW).build());
        Event first = listener.awaitEvent(1);
        // Outside the first window (it began before the first result), a refresh resolves at once.
        awaitClock(first.nanoTime() + WINDOW.toNanos());

        long refreshed = System.nanoTime();
        resolver.refresh();
        // Inside the window the refresh above opened: both must wait for its end, as one resolution.
        resolver.refresh();
        resolver.refresh();
        Event second = listener.awaitEvent(2);
        dns.hosts("limited.test", "10.0.2.2");
        Event third = listener.awaitEvent(3);

        assertThat(second.nanoTime() - refreshed).as("the first refresh is not delayed").isLessThan(WINDOW.toNanos());
        assertThat(third.nanoTime() - refreshed).as("deferred to the window's end").isGreaterThanOrEqualTo(WINDOW.toNanos());
        assertThat(third.addresses()).as("a fresh answer").containsExactly(List.of("10.0.2.2:1"));
        // A second deferred resolution would come a window later; none does.
        awaitClock(third.nanoTime() + WINDOW.toNanos() + Duration.ofMillis(500).toNanos());
        assertThat(listener.events()).hasSize(3);
        assertThat(dns.queries("A", "limited.test")).isEqualTo(3);
    }

    @Test
    void refreshesInsideTheFirstWindowWaitForIt() {
        dns.hosts("early.test", "10.0.3.1");
        long started = System.nanoTime();
        Resolver resolver = start("early.test:1", DnsResolverProvider.builder().minRefreshInterval(WINDOW).build());
        listener.awaitEvent(1);

        resolver.refresh();
        Event second = listener.awaitEvent(2);

        // The first resolution started after `started`; the refresh waited a window from it.
        assertThat(second.nanoTime() - started).isGreaterThanOrEqualTo(WINDOW.toNanos());
        assertThat(dns.queries("A", "early.test")).isEqualTo(2);
    }

    @Test
    void periodicRefreshPicksUpAChangedHostsFile() {
        dns.hosts("periodic.test", "10.0.4.1");
        start("periodic.test:1", DnsResolverProvider.builder().refreshInterval(Duration.ofMillis(200)).build());
        assertThat(listener.awaitEvent(1).addresses()).containsExactly(List.of("10.0.4.1:1"));

        dns.hosts("periodic.test", "10.0.4.1", "10.0.4.2");

        listener.awaitResult("both backends", e -> e.addresses().size() == 2);
    }

    @Test
    void withoutPeriodicRefreshNothingIsAskedUnprompted() {
        dns.hosts("quiet.test", "10.0.5.1");
        start("quiet.test:1", DnsResolverProvider.builder().minRefreshInterval(Duration.ZERO).build());
        Event first = listener.awaitEvent(1);

        awaitClock(first.nanoTime() + Duration.ofMillis(500).toNanos());

        assertThat(listener.events()).hasSize(1);
        assertThat(dns.queries("A", "quiet.test")).isEqualTo(1);
    }

    private Resolver start(String hostAndPort, DnsResolverProvider provider) {
        Resolver resolver = provider.newResolver(Target.parse(dns.target(hostAndPort)), environment.args(443));
        resolvers.add(resolver);
        resolver.start(listener);
        return resolver;
    }

    /** Waits, bounded, until {@link System#nanoTime()} passes {@code nanoTime}. */
    private static void awaitClock(long nanoTime) {
        Await.until("the clock passes a deadline", () -> System.nanoTime() - nanoTime >= 0);
    }
}
