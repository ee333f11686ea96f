package dev.lbchannel.boot.autoconfigure.discovery;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.CallTally;
import dev.lbchannel.testing.PacedLoad;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application whose DiscoveryClient is Spring Cloud's simple one
 * ({@code spring.cloud.discovery.client.simple.instances.*}), four real grpc-java backends, and a
 * {@code discovery:///orders} channel. The instances change the way a registry's would: the
 * properties' instance map is replaced at runtime, then a {@link HeartbeatEvent} is published (or
 * only the interval passes).
 */
@Timeout(120)
class SimpleDiscoveryClientResolverTests {

    private final List<TestBackend> backends = new ArrayList<>();
    private ConfigurableApplicationContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void scaleUpFromTwoToFourIsSeenOnTheNextHeartbeatWithNoFailedCall() {
        start(2, "lbchannel.discovery.refresh-interval=0");
        LbChannel orders = orders();
        awaitReady(orders, 2);

        try (PacedLoad load = PacedLoad.start(orders)) {
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);
            instances(4, Map.of());
            context.publishEvent(new HeartbeatEvent(this, "catalog-2"));

            Await.until("the two new instances to serve calls", Duration.ofSeconds(20),
                    () -> served(2) > 0 && served(3) > 0);
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);
            assertNoneFailed(load.stop());
        }
        assertThat(orders.snapshot().resolution().resolver()).containsEntry("instances", 4);
    }

    @Test
    void withoutAHeartbeatTheIntervalFindsTheChange() {
        start(2, "lbchannel.discovery.refresh-interval=200ms");
        LbChannel orders = orders();
        awaitReady(orders, 2);

        instances(3, Map.of());

        Await.until("the third instance", Duration.ofSeconds(20), () -> orders.snapshot().resolution().endpoints() == 3);
    }

    @Test
    void aMetadataOnlyChangeIsPushedAndAServiceConfigInMetadataIsUsed() {
        start(2, "lbchannel.discovery.refresh-interval=0");
        LbChannel orders = orders();
        awaitReady(orders, 2);
        long updates = orders.snapshot().resolution().updates();

        instances(2, Map.of("grpc.service-config", "{\"loadBalancingConfig\":[{\"pick_first\":{}}]}"));
        context.publishEvent(new HeartbeatEvent(this, "catalog-2"));

        Await.until("the service config's policy", () -> "pick_first".equals(orders.snapshot().lbPolicy()));
        assertThat(orders.snapshot().resolution().updates()).isEqualTo(updates + 1);

        instances(2, Map.of("grpc.service-config", "{broken"));
        context.publishEvent(new HeartbeatEvent(this, "catalog-3"));
        Await.until("the broken config to be reported", () -> orders.snapshot().resolution().updates() == updates + 2);
        assertThat(orders.snapshot().lbPolicy()).as("the last good config is kept").isEqualTo("pick_first");

        context.publishEvent(new HeartbeatEvent(this, "catalog-4"));
        Await.until("one more fetch", () -> ((Number) orders.snapshot().resolution().resolver().get("heartbeats")).longValue() >= 3
                && ((Number) orders.snapshot().resolution().resolver().get("fetches")).longValue() >= 4);
        assertThat(orders.snapshot().resolution().updates()).as("nothing changed: nothing pushed").isEqualTo(updates + 2);

        // JSON, but not a service config the channel accepts: the channel's own validation keeps the last good one.
        instances(2, Map.of("grpc.service-config", "{\"loadBalancingConfig\":[{\"no_such_policy\":{}}]}"));
        context.publishEvent(new HeartbeatEvent(this, "catalog-5"));
        Await.until("the invalid config to be reported", () -> orders.snapshot().resolution().updates() == updates + 3);
        assertThat(orders.snapshot().lbPolicy()).as("the last good config is kept").isEqualTo("pick_first");
        TestServiceGrpc.newBlockingStub(orders).withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
    }

    private void start(int instances, String... properties) {
        for (int i = 0; i < 4; i++) {
            backends.add(TestBackend.plaintext());
        }
        List<String> args = new ArrayList<>(List.of("spring.config.name=none", "lbchannel.kubernetes.enabled=false",
                "lbchannel.channels.orders.target=discovery:///orders", "lbchannel.channels.orders.plaintext=true",
                "lbchannel.channels.orders.connect-on-startup=true"));
        for (int i = 0; i < instances; i++) {
            args.add("spring.cloud.discovery.client.simple.instances.orders[" + i + "].uri=http://127.0.0.1:"
                    + backends.get(i).port());
        }
        args.addAll(List.of(properties));
        context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(args.toArray(String[]::new)).run();
    }

    /** Replaces the registry's view with the first {@code count} backends, each with {@code metadata}. */
    private void instances(int count, Map<String, String> metadata) {
        List<InstanceProperties> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            InstanceProperties instance = new InstanceProperties();
            instance.setInstanceId("orders-" + i);
            instance.setServiceId("orders");
            instance.setHost("127.0.0.1");
            instance.setPort(backends.get(i).port());
            instance.setMetadata(new HashMap<>(metadata));
            list.add(instance);
        }
        Map<String, List<InstanceProperties>> all = new HashMap<>();
        all.put("orders", list);
        context.getBean(SimpleDiscoveryProperties.class).setInstances(all);
    }

    private LbChannel orders() {
        return context.getBean(LbChannels.class).get("orders");
    }

    private int served(int backend) {
        return context.getBean(ServedByCounter.class).served("127.0.0.1:" + backends.get(backend).port());
    }

    private static void awaitReady(LbChannel channel, int count) {
        Await.until(count + " READY subchannels", () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == count);
    }

    private static void assertNoneFailed(CallTally tally) {
        assertThat(tally.started()).as("calls started").isGreaterThan(PacedLoad.CALLS_PER_SECOND);
        assertThat(tally.failures()).as("failed calls of %d, by status: %s", tally.started(), tally.failuresByStatus())
                .isEmpty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        ServedByCounter servedByCounter() {
            return new ServedByCounter();
        }
    }
}
