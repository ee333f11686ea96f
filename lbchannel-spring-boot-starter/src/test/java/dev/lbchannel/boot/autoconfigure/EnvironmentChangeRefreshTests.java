package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.ImportLbChannelStubs;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Refresh without restart, as issue 17 checks it: under load from a stub bean, Spring Cloud's
 * {@code EnvironmentChangeEvent} announces that channel {@code a} moves from pick_first to
 * round_robin and that its static target gains a second backend. No call fails, the calls then
 * spread over both backends, and channel {@code b}, whose properties did not change, keeps its
 * channel and its connection.
 */
@SpringBootTest(classes = EnvironmentChangeRefreshTests.App.class, properties = {
        "lbchannel.defaults.plaintext=true",
        "lbchannel.channels.a.default.load-balancing-policy=pick_first",
        "lbchannel.channels.b.default.load-balancing-policy=round_robin"})
@DirtiesContext
@Timeout(120)
class EnvironmentChangeRefreshTests {

    private static final TestBackend FIRST = TestBackend.plaintext();
    private static final TestBackend SECOND = TestBackend.plaintext();
    private static final TestBackend OTHER = TestBackend.plaintext();
    private static final List<LbChannelsRefreshedEvent> REFRESHES = new CopyOnWriteArrayList<>();

    @Autowired
    @Qualifier("aTestServiceBlockingStub")
    TestServiceBlockingStub a;

    @Autowired
    @Qualifier("bTestServiceBlockingStub")
    TestServiceBlockingStub b;

    @Autowired
    LbChannels channels;

    @Autowired
    ServedByCounter counter;

    @Autowired
    ConfigurableApplicationContext context;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("lbchannel.channels.a.target", () -> "static:///127.0.0.1:" + FIRST.port());
        registry.add("lbchannel.channels.b.target", () -> "static:///127.0.0.1:" + OTHER.port());
    }

    @AfterAll
    static void stopBackends() {
        FIRST.close();
        SECOND.close();
        OTHER.close();
    }

    @Test
    void aPolicyAndTargetChangeUnderLoadFailsNoCallSpreadsTheCallsAndLeavesTheOtherChannelAlone() throws Exception {
        LbChannel before = channels.get("a");
        LbChannel untouched = channels.get("b");
        List<Long> otherSockets;
        try (CallLoad loadA = new CallLoad("a", a, 4); CallLoad loadB = new CallLoad("b", b, 1)) {
            Await.until("calls on a's backend and on b's", () -> served(FIRST) >= 50 && served(OTHER) >= 20);
            otherSockets = socketIds(untouched);
            assertThat(otherSockets).hasSize(1);

            ChangedProperties.of(context)
                    .set("lbchannel.channels.a.default.load-balancing-policy", "round_robin")
                    .set("lbchannel.channels.a.target", "static:///127.0.0.1:" + SECOND.port() + ",127.0.0.1:" + FIRST.port())
                    .publish();

            counter.reset();
            Await.until("calls spread over a's two backends", () -> served(FIRST) >= 100 && served(SECOND) >= 100);
            int bBefore = loadB.succeeded();
            Await.until("more calls on b", () -> loadB.succeeded() >= bBefore + 20);
            loadA.close();
            loadB.close();
            assertThat(loadA.failures()).as("calls on a that failed during the refresh").isEmpty();
            assertThat(loadB.failures()).as("calls on b that failed during the refresh").isEmpty();
        }
        assertThat(served(FIRST)).isCloseTo(served(SECOND), withinPercentage(20));
        LbChannel after = channels.get("a");
        assertThat(after.snapshot().lbPolicy()).isEqualTo("round_robin");
        assertThat(after.target()).endsWith("," + "127.0.0.1:" + FIRST.port());
        // A static target whose first entry changes derives another authority: the channel is replaced.
        assertThat(REFRESHES).singleElement().satisfies(event -> {
            assertThat(event.result().replaced()).containsExactly("a");
            assertThat(event.result().updated()).isEmpty();
        });
        assertThat(after).isNotSameAs(before);
        Await.until("the old channel drained and terminated", before::isTerminated);
        assertThat(channels.get("b")).as("the unchanged channel").isSameAs(untouched);
        assertThat(socketIds(untouched)).as("the unchanged channel's connections").isEqualTo(otherSockets);
    }

    private int served(TestBackend backend) {
        return counter.served("127.0.0.1:" + backend.port());
    }

    private static List<Long> socketIds(LbChannel channel) {
        return channel.snapshot().subchannels().stream().map(SubchannelSnapshot::sockets)
                .flatMap(List::stream).map(SocketSnapshot::id).toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ImportLbChannelStubs(channel = "a", value = TestServiceBlockingStub.class)
    @ImportLbChannelStubs(channel = "b", value = TestServiceBlockingStub.class)
    static class App {

        @Bean
        ServedByCounter counter() {
            return new ServedByCounter();
        }

        @Bean
        ApplicationListener<LbChannelsRefreshedEvent> refreshes() {
            return REFRESHES::add;
        }
    }
}
