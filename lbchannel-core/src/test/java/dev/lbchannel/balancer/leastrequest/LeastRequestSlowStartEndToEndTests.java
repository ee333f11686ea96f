package dev.lbchannel.balancer.leastrequest;

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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * least_request's slow start against grpc-java backends on loopback: three warm backends under a
 * closed loop of four callers, a fourth added. A ramping endpoint's cost is its calls in flight
 * plus one, divided by its factor, and it always meets another endpoint in a pick, so at the
 * window's start (factor 10 %: an idle one costs 10, more than four callers can put on another)
 * it wins none, more as its factor grows, and a full quarter after the window. The policy's clock is manual; the shares are checked against those bounds, not
 * against a curve, since a two-choice policy's share also depends on how many calls are in flight.
 */
@Timeout(120)
class LeastRequestSlowStartEndToEndTests {

    private static final long S = 1_000_000_000L;

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
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
                .balancerProvider(new LeastRequestBalancerProvider(LeastRequestBalancerProvider.POLICY_NAME,
                        bound -> ThreadLocalRandom.current().nextInt(bound), clock::get))
                .defaultServiceConfig(Json.parseObject("{\"loadBalancingConfig\": [{\"least_request\":"
                        + " {\"choiceCount\": 2, \"slowStartConfig\": {\"slowStartWindow\": \"10s\"}}}]}"))
                .build();
        resolver.update(Arrays.copyOf(ports, 3));
        channel.getState(true);
        SlowStartChecks.awaitReady(channel, 3);
        ClosedLoop.run(channel, 4, 300);

        resolver.update(ports);
        SlowStartChecks.awaitReady(channel, 4);
        double early = shareOfTheNewOne(3200);
        assertThat(early).as("the new backend's share at the window's start").isLessThan(0.02);

        clock.addAndGet(5 * S);
        SlowStartChecks.awaitFactor(channel, backends.ports()[3], 50);
        double middle = shareOfTheNewOne(3200);

        clock.addAndGet(5 * S);
        SlowStartChecks.awaitFactor(channel, backends.ports()[3], 100);
        double after = shareOfTheNewOne(4000);
        System.out.printf("least_request slow start: shares %.3f, %.3f, %.3f%n", early, middle, after);
        assertThat(after).as("its share after the window (a quarter)").isBetween(0.18, 0.32);
        assertThat(middle).as("its share at half the window, between %.3f at the start and %.3f after", early, after)
                .isGreaterThan(early + 0.02).isLessThan(after - 0.02);
    }

    /** The fourth backend's share of {@code total} calls made now. */
    private double shareOfTheNewOne(int total) throws Exception {
        int before = backends.received(3);
        ClosedLoop.run(channel, 4, total);
        return (backends.received(3) - before) / (double) total;
    }


}
