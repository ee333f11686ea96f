package dev.lbchannel;

import dev.lbchannel.testing.CallTally;
import dev.lbchannel.testing.PacedLoad;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Attributes;
import io.grpc.ServerTransportFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client-side maximum connection age under steady load ({@link PacedLoad}) on two grpc-java backends: every
 * connection is replaced within the age plus its jitter and the time to open the next one, no
 * call fails (fail-fast, no retry policy), and the channel never holds more than two connections
 * per endpoint (the one draining and its replacement).
 */
@Timeout(60)
class ConnectionAgeTests {

    private static final Duration AGE = Duration.ofSeconds(1);
    /** Age + 10 % jitter, plus the time to connect the replacement and drain the old one on a busy machine. */
    private static final Duration LIFETIME_BOUND = Duration.ofMillis(1100 + 1500);
    private static final long LOAD_MILLIS = 6_000;

    private final Map<Object, Long> openedAt = new ConcurrentHashMap<>();
    private final List<Long> lifetimesNanos = new CopyOnWriteArrayList<>();
    private final List<TestBackend> backends = List.of(backend(), backend());
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "connection-age-sampler");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stop() {
        pacer.shutdownNow();
        backends.forEach(TestBackend::close);
    }

    @Test
    void connectionsAreReplacedOnTimeWithoutAFailedCallOrAnExtraConnection() throws Exception {
        LbChannel channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + backends.get(0).port()
                        + ",127.0.0.1:" + backends.get(1).port())
                .usePlaintext().defaultLoadBalancingPolicy("round_robin")
                .maxConnectionAge(AGE.toMillis(), TimeUnit.MILLISECONDS).build();
        AtomicInteger mostSockets = new AtomicInteger();
        ScheduledFuture<?> sampler = pacer.scheduleAtFixedRate(() -> mostSockets.accumulateAndGet(
                channel.snapshot().subchannels().stream().mapToInt(s -> s.sockets().size()).sum(), Math::max),
                0, 20, TimeUnit.MILLISECONDS);
        try {
            CallTally outcome;
            try (PacedLoad load = PacedLoad.start(channel)) {
                load.awaitMoreCalls((int) (LOAD_MILLIS * PacedLoad.CALLS_PER_SECOND / 1000));
                outcome = load.stop();
            }
            sampler.cancel(false);

            assertThat(outcome.failures()).as("failed calls, by status: %s", outcome.failuresByStatus()).isEmpty();
            long replaced = channel.snapshot().connections().attemptsSucceeded() - backends.size();
            assertThat(replaced).as("connections replaced over %d ms at age %s", LOAD_MILLIS, AGE)
                    .isGreaterThanOrEqualTo(2 * (LOAD_MILLIS / AGE.toMillis() - 2));
            assertThat(lifetimesNanos).as("lifetimes of the closed connections (ns)").isNotEmpty()
                    .allSatisfy(nanos -> assertThat(Duration.ofNanos(nanos)).isLessThan(LIFETIME_BOUND));
            assertThat(mostSockets.get()).as("most connections open at once").isLessThanOrEqualTo(2 * backends.size());
            assertThat(channel.snapshot().subchannels()).allSatisfy(subchannel -> assertThat(subchannel.trace())
                    .anySatisfy(event -> assertThat(event.description()).contains("maximum connection age")));
        } finally {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private TestBackend backend() {
        return TestBackend.start(false, builder -> builder.addTransportFilter(new ServerTransportFilter() {
            @Override
            public Attributes transportReady(Attributes attributes) {
                openedAt.put(attributes, System.nanoTime());
                return attributes;
            }

            @Override
            public void transportTerminated(Attributes attributes) {
                Long opened = openedAt.remove(attributes);
                if (opened != null) {
                    lifetimesNanos.add(System.nanoTime() - opened);
                }
            }
        }));
    }
}
