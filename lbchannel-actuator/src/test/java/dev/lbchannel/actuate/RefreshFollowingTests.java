package dev.lbchannel.actuate;

import dev.lbchannel.LbChannel;
import dev.lbchannel.actuate.channelz.ChannelDescriptor;
import dev.lbchannel.actuate.channelz.ChannelzEndpoint;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelsRefresher;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a refresh replaces one channel (its target changes authority) and adds another, channelz,
 * the health composite and the subchannel meters show the channels configured now, by name: none
 * of them keeps reporting the old channel.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, properties = {
        "lbchannel.defaults.plaintext=true", "management.endpoints.web.exposure.include=channelz,health"})
@DirtiesContext
@Timeout(120)
class RefreshFollowingTests {

    private static final TestBackend FIRST = TestBackend.plaintext();
    private static final TestBackend SECOND = TestBackend.plaintext();

    @Autowired
    LbChannels channels;

    @Autowired
    LbChannelsRefresher refresher;

    @Autowired
    ConfigurableEnvironment environment;

    @Autowired
    MeterRegistry registry;

    @Autowired
    ChannelzEndpoint channelz;

    @Autowired
    @Qualifier("lbchannelHealthContributor")
    CompositeHealthContributor health;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.orders.target", () -> target(FIRST));
    }

    @AfterAll
    static void stopBackends() {
        FIRST.close();
        SECOND.close();
    }

    @Test
    void channelzHealthAndMetersFollowAReplacedAndAnAddedChannel() {
        LbChannel old = channels.get("orders");
        call(old);
        Await.until("one open connection on orders", () -> openConnections("orders", target(FIRST)) == 1.0);

        environment.getPropertySources().addFirst(new MapPropertySource("changed", Map.of(
                "lbchannel.channels.orders.target", target(SECOND),
                "lbchannel.channels.extra.target", target(FIRST))));
        LbChannelsRefresher.Result result = refresher.refresh();

        assertThat(result.replaced()).containsExactly("orders");
        assertThat(result.added()).containsExactly("extra");
        LbChannel orders = channels.get("orders");
        call(orders);
        call(channels.get("extra"));
        Await.until("the old channel terminated", old::isTerminated);

        assertThat(channelz.channels().channels()).extracting(ChannelDescriptor::name).containsExactly("orders", "extra");
        ChannelDescriptor shown = channelz.channel("orders");
        assertThat(shown).isNotNull();
        assertThat(shown.id()).isEqualTo(orders.snapshot().id());
        assertThat(health.stream().map(HealthContributors.Entry::name)).containsExactly("orders", "extra");
        assertThat(((HealthIndicator) health.getContributor("orders")).health().getDetails())
                .containsEntry("target", target(SECOND));
        assertThat(registry.find("grpc.subchannel.open_connections").tag("channel", "orders")
                .tag("grpc.target", target(FIRST)).gauge()).as("the old channel's gauge").isNull();
        Await.until("the new channels' gauges", () -> openConnections("orders", target(SECOND)) == 1.0
                && openConnections("extra", target(FIRST)) == 1.0);
    }

    private double openConnections(String channel, String target) {
        Gauge gauge = registry.find("grpc.subchannel.open_connections").tag("channel", channel)
                .tag("grpc.target", target).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static void call(LbChannel channel) {
        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
    }

    private static String target(TestBackend backend) {
        return "static:///127.0.0.1:" + backend.port();
    }
}
