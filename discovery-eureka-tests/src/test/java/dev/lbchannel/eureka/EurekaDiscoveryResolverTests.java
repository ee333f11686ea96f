package dev.lbchannel.eureka;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.CallTally;
import dev.lbchannel.testing.PacedLoad;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code discovery:///orders} over Spring Cloud Netflix's Eureka client against a real Eureka
 * server on loopback ({@link EurekaRegistry}), with four grpc-java backends registered through
 * Eureka's REST API. The client fetches the registry every second and publishes a
 * {@code HeartbeatEvent} after each fetch; the resolver's own interval is off
 * ({@code refresh-interval=0}), so only heartbeats can bring the new instances in.
 */
@Timeout(180)
class EurekaDiscoveryResolverTests {

    private final List<TestBackend> backends = new ArrayList<>();
    private EurekaRegistry eureka;
    private ConfigurableApplicationContext client;

    @BeforeEach
    void start() {
        eureka = new EurekaRegistry();
        for (int i = 0; i < 4; i++) {
            backends.add(TestBackend.plaintext());
        }
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (eureka != null) {
            eureka.close();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void scaleUpFromTwoToFourIsSeenWithinOneHeartbeatWithNoFailedCall() {
        register(0, 2);
        client = new SpringApplicationBuilder(Client.class).web(WebApplicationType.NONE).properties(
                "spring.config.name=none",
                "eureka.client.service-url.defaultZone=" + eureka.serviceUrl(),
                "eureka.client.register-with-eureka=false",
                "spring.cloud.service-registry.auto-registration.enabled=false",   // a client only, not a service
                "eureka.client.registry-fetch-interval-seconds=1",
                // Spring's RestClient transport: the Jersey one the server brings has no client factories here.
                "eureka.client.jersey.enabled=false",
                "eureka.client.disable-delta=true",
                "lbchannel.discovery.refresh-interval=0",
                "lbchannel.channels.orders.target=discovery:///orders",
                "lbchannel.channels.orders.plaintext=true").run();
        LbChannel orders = client.getBean(LbChannels.class).get("orders");
        orders.getState(true);
        Await.until("both registered instances READY", Duration.ofSeconds(30), () -> ready(orders) == 2);

        try (PacedLoad load = PacedLoad.start(orders)) {
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);
            HeartbeatCount heartbeats = client.getBean(HeartbeatCount.class);
            long heartbeatsBefore = heartbeats.count.get();
            register(2, 4);

            Await.until("the resolver to report four endpoints", Duration.ofSeconds(30),
                    () -> orders.snapshot().resolution().endpoints() == 4);
            long heartbeatsTaken = heartbeats.count.get() - heartbeatsBefore;
            Await.until("the two new instances to serve calls", Duration.ofSeconds(30),
                    () -> served(2) > 0 && served(3) > 0);
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);
            CallTally tally = load.stop();

            assertThat(tally.started()).isGreaterThan(PacedLoad.CALLS_PER_SECOND);
            assertThat(tally.failures()).as("failed calls of %d, by status: %s", tally.started(),
                    tally.failuresByStatus()).isEmpty();
            // The registration may land while a fetch is under way; the one after it brings it in.
            assertThat(heartbeatsTaken).as("heartbeats from the registration to the four endpoints").isBetween(1L, 2L);
        }
        assertThat(orders.snapshot().resolution().resolver()).containsEntry("instances", 4);
    }

    private void register(int from, int to) {
        for (int i = from; i < to; i++) {
            eureka.register("orders", "orders-" + i, backends.get(i).port());
        }
    }

    private int served(int backend) {
        return client.getBean(ServedByCounter.class).served("127.0.0.1:" + backends.get(backend).port());
    }

    private static long ready(LbChannel channel) {
        return channel.snapshot().subchannels().stream().filter(s -> s.state() == ConnectivityState.READY).count();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Client {

        @Bean
        ServedByCounter servedByCounter() {
            return new ServedByCounter();
        }

        @Bean
        HeartbeatCount heartbeatCount() {
            return new HeartbeatCount();
        }
    }

    /** Counts the Eureka client's heartbeats. */
    static final class HeartbeatCount implements ApplicationListener<HeartbeatEvent> {

        final AtomicLong count = new AtomicLong();

        @Override
        public void onApplicationEvent(HeartbeatEvent event) {
            count.incrementAndGet();
        }
    }
}
