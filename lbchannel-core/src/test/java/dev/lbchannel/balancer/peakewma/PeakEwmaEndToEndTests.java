package dev.lbchannel.balancer.peakewma;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.config.Json;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ClosedLoop;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.SlowBackends;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code peak_ewma} against grpc-java backends on loopback, one of three five times slower (a
 * server interceptor puts off each call's end): it gets clearly fewer calls than round_robin
 * sends it, and channelz shows each backend's average latency.
 */
@Timeout(120)
class PeakEwmaEndToEndTests {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final int TOTAL = 300;

    private SlowBackends backends;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        close();
    }

    private void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            channel = null;
        }
        if (backends != null) {
            backends.close();
            backends = null;
        }
    }

    /** Calls the slow backend got of {@link #TOTAL} under {@code policy}, from a fresh channel and backends. */
    private int callsToTheSlowOne(String policy) throws Exception {
        backends = new SlowBackends(3);
        backends.delay(0, Duration.ofMillis(10));
        backends.delay(1, Duration.ofMillis(10));
        backends.delay(2, Duration.ofMillis(50));
        ManualResolverProvider resolver = new ManualResolverProvider("manual");
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .defaultServiceConfig(Json.parseObject("{\"loadBalancingConfig\": [{\"" + policy + "\": {}}]}"))
                .build();
        resolver.update(backends.ports());
        channel.getState(true);
        Await.until("3 READY subchannels", BOUND, () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == 3);
        ClosedLoop.run(channel, 4, TOTAL);
        int slow = backends.received(2);
        assertThat(slow + backends.received(0) + backends.received(1)).isEqualTo(TOTAL);
        return slow;
    }

    @Test
    void aFiveTimesSlowerBackendGetsClearlyFewerCallsThanUnderRoundRobin() throws Exception {
        int roundRobin = callsToTheSlowOne("round_robin");
        close();
        int peakEwma = callsToTheSlowOne("peak_ewma");

        long slowMicros = latencyMicros(2);
        long fastMicros = Math.max(latencyMicros(0), latencyMicros(1));
        assertThat(roundRobin).as("round_robin's third").isBetween(TOTAL / 3 - 5, TOTAL / 3 + 5);
        // Two choices with replacement draw the slow one twice in a ninth of the picks, and it wins
        // whenever the fast samples are busy enough: well below round_robin's share, never zero.
        assertThat(peakEwma).as("peak_ewma's calls to the slow backend (round_robin sent %d)", roundRobin)
                .isLessThan(roundRobin * 2 / 3);
        // Every call to the slow backend took 50 ms or more, and its last one ended a moment ago;
        // the fast ones' averages depend on the machine's hiccups, which the peak keeps a while.
        assertThat(slowMicros).as("channelz: slow %d µs, fast %d µs", slowMicros, fastMicros)
                .isGreaterThan(40_000);
        assertThat(fastMicros).isPositive();
    }

    private long latencyMicros(int backend) {
        for (SubchannelSnapshot s : channel.snapshot().subchannels()) {
            if (backends.indexOf(s) == backend) {
                return s.balancer().getOrDefault("ewmaLatencyMicros", -2L);
            }
        }
        return -3;
    }
}
