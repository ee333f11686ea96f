package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.RecordingResolverListener.Event;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Re-resolution: the refresh rate limit and the periodic refresh, against dnsmasq on loopback. */
@Timeout(60)
class DnsRefreshTests extends DnsServerTestCase {

    private static final Duration WINDOW = Duration.ofSeconds(2);

    @Test
    void refreshInsideTheWindowIsDeferredToItsEndAndCoalescedNotDropped() {
        dns.hosts("limited.test", "10.0.2.1");
        Resolver resolver = startFor("limited.test:1", DnsResolverProvider.builder().minRefreshInterval(WINDOW).build());
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
        assertThat(queries("A", "limited.test", 3)).isEqualTo(3);
    }

    @Test
    void refreshesInsideTheFirstWindowWaitForIt() {
        dns.hosts("early.test", "10.0.3.1");
        long started = System.nanoTime();
        Resolver resolver = startFor("early.test:1", DnsResolverProvider.builder().minRefreshInterval(WINDOW).build());
        listener.awaitEvent(1);

        resolver.refresh();
        Event second = listener.awaitEvent(2);

        // The first resolution started after `started`; the refresh waited a window from it.
        assertThat(second.nanoTime() - started).isGreaterThanOrEqualTo(WINDOW.toNanos());
        assertThat(queries("A", "early.test", 2)).isEqualTo(2);
    }

    @Test
    void periodicRefreshPicksUpAChangedHostsFile() {
        dns.hosts("periodic.test", "10.0.4.1");
        startFor("periodic.test:1", DnsResolverProvider.builder().refreshInterval(Duration.ofMillis(200)).build());
        assertThat(listener.awaitEvent(1).addresses()).containsExactly(List.of("10.0.4.1:1"));

        dns.hosts("periodic.test", "10.0.4.1", "10.0.4.2");

        listener.awaitResult("both backends", e -> e.addresses().size() == 2);
    }

    @Test
    void withoutPeriodicRefreshNothingIsAskedUnprompted() {
        dns.hosts("quiet.test", "10.0.5.1");
        startFor("quiet.test:1", DnsResolverProvider.builder().minRefreshInterval(Duration.ZERO).build());
        Event first = listener.awaitEvent(1);

        awaitClock(first.nanoTime() + Duration.ofMillis(500).toNanos());

        assertThat(listener.events()).hasSize(1);
        assertThat(queries("A", "quiet.test", 1)).isEqualTo(1);
    }

    private Resolver startFor(String hostAndPort, DnsResolverProvider provider) {
        return start(dns.target(hostAndPort), provider);
    }

    /** Waits, bounded, until {@link System#nanoTime()} passes {@code nanoTime}. */
    private static void awaitClock(long nanoTime) {
        Await.until("the clock passes a deadline", () -> System.nanoTime() - nanoTime >= 0);
    }
}
