package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.RecordingResolverListener.Event;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.target.Target;
import dev.lbchannel.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The opt-in TTL refresh, against dnsmasq answering with a {@link #TTL} of 1 s: the next resolution comes no
 * later than the answer's TTL, never sooner than the rate limit, and only with the option on. The
 * resolver's scheduler records every delay it is given, so the timing is asserted exactly; the
 * resolutions themselves run on the real clock.
 */
@Timeout(60)
class DnsTtlTests extends DnsServerTestCase {

    private final RecordingScheduler scheduler = new RecordingScheduler();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void theNextResolutionComesWhenTheAnswersTtlRunsOut() {
        dns.hosts("ttl.test", "10.0.8.1");
        startRecorded("ttl.test:1", DnsResolverProvider.builder().honorTtl(true).minRefreshInterval(Duration.ZERO));
        Event first = listener.awaitEvent(1);

        dns.hosts("ttl.test", "10.0.8.2");

        Event second = listener.awaitResult("the new address, unprompted", e -> e.addresses().equals(
                List.of(List.of("10.0.8.2:1"))));
        assertThat(scheduler.delaysNanos().get(0)).as("the first delay is the TTL").isEqualTo(TTL.toNanos());
        assertThat(second.nanoTime() - first.nanoTime()).isGreaterThanOrEqualTo(TTL.toNanos());
    }

    @Test
    void aTtlShorterThanTheRateLimitWaitsForTheRateLimit() {
        Duration window = Duration.ofSeconds(3);
        dns.hosts("limited-ttl.test", "10.0.9.1");
        long started = System.nanoTime();
        startRecorded("limited-ttl.test:1", DnsResolverProvider.builder().honorTtl(true).minRefreshInterval(window));
        Event first = listener.awaitEvent(1);
        Event second = listener.awaitEvent(2);

        long delay = scheduler.delaysNanos().get(0);
        assertThat(delay).as("the rest of the window the first resolution opened")
                .isGreaterThan(TTL.toNanos()).isLessThanOrEqualTo(window.toNanos())
                .isGreaterThanOrEqualTo(window.toNanos() - (first.nanoTime() - started));
        assertThat(second.nanoTime() - started).isGreaterThanOrEqualTo(window.toNanos());
    }

    @Test
    void theTtlAndThePeriodicIntervalWhicheverIsFirst() {
        dns.hosts("both.test", "10.0.10.1");
        startRecorded("both.test:1", DnsResolverProvider.builder().honorTtl(true).minRefreshInterval(Duration.ZERO)
                .refreshInterval(Duration.ofMinutes(1)));
        startRecorded("both.test:2", DnsResolverProvider.builder().honorTtl(true).minRefreshInterval(Duration.ZERO)
                .refreshInterval(Duration.ofMillis(300)));

        // The first scheduled the TTL (sooner than a minute), the second its 300 ms (sooner than the TTL).
        Await.until("both resolvers scheduled their next resolution; so far " + scheduler.delaysNanos(),
                () -> scheduler.delaysNanos().containsAll(List.of(TTL.toNanos(), Duration.ofMillis(300).toNanos())));
        assertThat(scheduler.delaysNanos()).allMatch(d -> d == TTL.toNanos() || d == Duration.ofMillis(300).toNanos());
    }

    @Test
    void withoutTheOptionTheTtlSchedulesNothing() {
        dns.hosts("ignored-ttl.test", "10.0.11.1");
        startRecorded("ignored-ttl.test:1", DnsResolverProvider.builder().minRefreshInterval(Duration.ZERO));
        Event first = listener.awaitEvent(1);

        Await.until("twice the TTL passes", () -> System.nanoTime() - first.nanoTime() >= 2 * TTL.toNanos());

        assertThat(scheduler.delaysNanos()).isEmpty();
        assertThat(listener.events()).hasSize(1);
    }

    /** Starts a resolver whose scheduler is the recording one. */
    private void startRecorded(String hostAndPort, DnsResolverProvider.Builder provider) {
        ResolverArgs real = environment.args(443);
        ResolverArgs args = new ResolverArgs(real.defaultPort(), scheduler, real.offloadExecutor(),
                real.eventLoopGroup(), real.serializer());
        Resolver resolver = provider.build().newResolver(Target.parse(dns.target(hostAndPort)), args);
        resolvers.add(resolver);
        resolver.start(listener);
    }

    /** A real scheduler that records the delay of every task it is given, in order. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {

        private final List<Long> delaysNanos = new CopyOnWriteArrayList<>();

        RecordingScheduler() {
            super(1, r -> {
                Thread thread = new Thread(r, "dns-ttl-test-scheduler");
                thread.setDaemon(true);
                return thread;
            });
        }

        List<Long> delaysNanos() {
            return List.copyOf(delaysNanos);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delaysNanos.add(unit.toNanos(delay));
            return super.schedule(command, delay, unit);
        }
    }
}
