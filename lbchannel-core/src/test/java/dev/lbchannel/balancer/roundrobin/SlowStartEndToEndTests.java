package dev.lbchannel.balancer.roundrobin;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.config.Json;
import dev.lbchannel.testing.ClosedLoop;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.SlowStartChecks;
import dev.lbchannel.testing.SlowBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * round_robin's slow start against grpc-java backends on loopback: three warm backends under
 * load, a fourth added; on the policy's own (manual) clock, the new one's share of the calls is
 * near its 10 % floor at first, half its share mid-window, and a full quarter after the window.
 */
@Timeout(120)
class SlowStartEndToEndTests {

    private static final long S = 1_000_000_000L;

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    /** The policy's clock; the channel's timers still run on real time, and only rebuild the picker. */
    private final AtomicLong clock = new AtomicLong();
    private SlowBackends backends;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (backends != null) {
            backends.close();
        }
    }

    @Test
    void aNewBackendRampsUpOverTheWindow() throws Exception {
        backends = new SlowBackends(4);
        int[] ports = backends.ports();
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .balancerProvider(new RoundRobinBalancerProvider(clock::get))
                .defaultServiceConfig(Json.parseObject("{\"loadBalancingConfig\": [{\"round_robin\":"
                        + " {\"slowStartConfig\": {\"slowStartWindow\": \"10s\"}}}]}"))
                .build();
        resolver.update(Arrays.copyOf(ports, 3));
        channel.getState(true);
        SlowStartChecks.awaitReady(channel, 3);
        ClosedLoop.run(channel, 4, 300);

        resolver.update(ports);
        SlowStartChecks.awaitReady(channel, 4);
        int early = callsToTheNewOne(3100);
        // factor 0.1 against three of 1: 0.1 / 3.1 of the calls, about 100
        assertThat(early).as("the new backend's calls of 3100 at the window's start").isBetween(60, 140);

        clock.addAndGet(5 * S);
        SlowStartChecks.awaitFactor(channel, backends.ports()[3], 50);
        int middle = callsToTheNewOne(3500);
        assertThat(middle).as("of 3500 at half the window (0.5 / 3.5)").isBetween(440, 560);

        clock.addAndGet(5 * S);
        SlowStartChecks.awaitFactor(channel, backends.ports()[3], 100);
        int after = callsToTheNewOne(4000);
        assertThat(after).as("of 4000 after the window").isBetween(950, 1050);
    }

    /** Calls the fourth backend got of {@code total} made now. */
    private int callsToTheNewOne(int total) throws Exception {
        int before = backends.received(3);
        ClosedLoop.run(channel, 4, total);
        return backends.received(3) - before;
    }


}
