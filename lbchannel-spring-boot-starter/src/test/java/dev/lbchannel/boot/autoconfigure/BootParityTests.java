package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.Deadline;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leaf name shared with Spring Boot's {@code spring.grpc.client.channel.<name>.*} means what it
 * means there (issue 17): bare numbers in deadlines, idle and keepalive durations are seconds, the
 * policy is round_robin unless something names another, and values under the documented minimums
 * stop start-up instead of being raised silently.
 */
@Timeout(120)
class BootParityTests {

    private static TestBackend first;
    private static TestBackend second;

    @BeforeAll
    static void startBackends() {
        first = TestBackend.plaintext();
        second = TestBackend.plaintext();
    }

    @AfterAll
    static void stopBackends() {
        first.close();
        second.close();
    }

    private static ApplicationContextRunner orders(String... properties) {
        return LbChannelAutoConfigurationTests.RUNNER
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:" + first.port()
                                + ",127.0.0.1:" + second.port(), "lbchannel.channels.orders.plaintext=true")
                .withPropertyValues(properties);
    }

    @Test
    void aBareDeadlineIsSecondsAsInSpringBoot() {
        // Under Boot's meaning 5 is five seconds; read as milliseconds every call would fail DEADLINE_EXCEEDED.
        orders("lbchannel.channels.orders.default.deadline=5").run(context -> {
            TestServiceGrpc.newBlockingStub(context.getBean(LbChannels.class).get("orders"))
                    .emptyCall(Empty.getDefaultInstance());
            Deadline seen = Objects.requireNonNull(served().lastDeadline());
            assertThat(seen.timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1_000L, 5_000L);
        });
    }

    @Test
    void bareIdleAndKeepaliveDurationsAreSeconds() {
        orders("lbchannel.defaults.idle.timeout=90", "lbchannel.defaults.keepalive.time=30",
                "lbchannel.channels.orders.keepalive.timeout=15").run(context -> {
                    ChannelProperties orders = context.getBean(LbChannelProperties.class).getChannels().get("orders");
                    ChannelProperties defaults = context.getBean(LbChannelProperties.class).getDefaults();
                    assertThat(defaults.getIdle().getTimeout()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(defaults.getKeepalive().getTime()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(orders.getKeepalive().getTimeout()).isEqualTo(Duration.ofSeconds(15));
                });
    }

    @Test
    void explicitUnitsStillWin() {
        orders("lbchannel.channels.orders.default.deadline=750ms").run(context -> assertThat(
                context.getBean(LbChannelProperties.class).getChannels().get("orders").getDefault().getDeadline())
                .isEqualTo(Duration.ofMillis(750)));
    }

    @Test
    void theStartersDefaultPolicyIsRoundRobinAsInSpringBoot() {
        ServedByCounter counter = new ServedByCounter();
        orders().withBean("counter", ClientInterceptor.class, () -> counter).run(context -> {
            LbChannel channel = context.getBean(LbChannels.class).get("orders");
            assertThat(channel.snapshot().lbPolicy()).as("before the first call").isEqualTo("round_robin");
            channel.getState(true);
            Await.until("both subchannels READY", () -> channel.snapshot().subchannels().stream()
                    .filter(s -> s.state() == ConnectivityState.READY).count() == 2);
            for (int i = 0; i < 10; i++) {
                TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance());
            }
            assertThat(counter.served("127.0.0.1:" + first.port())).isEqualTo(5);
            assertThat(counter.served("127.0.0.1:" + second.port())).isEqualTo(5);
        });
    }

    @Test
    void anIdleChannelShowsThePolicyItsServiceConfigNames() {
        orders("lbchannel.channels.orders.service-config.load-balancing-config[0].pick_first=")
                .run(context -> assertThat(context.getBean(LbChannels.class).get("orders").snapshot().lbPolicy())
                        .isEqualTo("pick_first"));
    }

    @Test
    void pickFirstStaysAvailableByName() {
        orders("lbchannel.channels.orders.default.load-balancing-policy=pick_first").run(context -> {
            LbChannel channel = context.getBean(LbChannels.class).get("orders");
            TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance());
            assertThat(channel.snapshot().lbPolicy()).isEqualTo("pick_first");
            assertThat(channel.snapshot().subchannels()).extracting(SubchannelSnapshot::state)
                    .containsExactly(ConnectivityState.READY);
        });
    }

    @Test
    void aKeepaliveTimeUnderTenSecondsStopsStartUp() {
        FailureAnalysis analysis = analyze("lbchannel.defaults.keepalive.time=5");
        assertThat(analysis.getDescription())
                .contains("'lbchannel.defaults.keepalive.time' has the value '5s'")
                .contains("below the minimum of 10s");
        assertThat(analysis.getAction()).startsWith("Set lbchannel.defaults.keepalive.time to 10s or more");
    }

    @Test
    void anIdleTimeoutUnderOneSecondStopsStartUp() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.idle.timeout=500ms");
        assertThat(analysis.getDescription())
                .contains("'lbchannel.channels.orders.idle.timeout' has the value '500ms'")
                .contains("below the minimum of 1s");
        assertThat(analysis.getAction()).startsWith("Set lbchannel.channels.orders.idle.timeout to 1s or more");
    }

    @Test
    void aMaxConnectionAgeIsBareSecondsAtLeastOneAndReplacesConnections() {
        assertThat(analyze("lbchannel.channels.orders.max-connection-age=500ms").getDescription())
                .contains("'lbchannel.channels.orders.max-connection-age' has the value '500ms'")
                .contains("below the minimum of 1s");
        orders("lbchannel.defaults.max-connection-age=1").run(context -> {
            assertThat(context.getBean(LbChannelProperties.class).getDefaults().getMaxConnectionAge())
                    .isEqualTo(Duration.ofSeconds(1));
            LbChannel channel = context.getBean(LbChannels.class).get("orders");
            TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance());
            Await.until("a connection replaced at its age", () -> channel.snapshot().subchannels().stream()
                    .flatMap(s -> s.trace().stream())
                    .anyMatch(event -> event.description().contains("maximum connection age")));
        });
    }

    @Test
    void theMinimumsThemselvesAreAccepted() {
        orders("lbchannel.channels.orders.idle.timeout=1", "lbchannel.channels.orders.keepalive.time=10")
                .run(context -> assertThat(context.getStartupFailure()).isNull());
    }

    @Test
    void theMetadataGivesBootsDefaultPolicy() throws IOException {
        String all = "";
        for (Resource resource : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/spring-configuration-metadata.json")) {
            all += resource.getContentAsString(StandardCharsets.UTF_8);
        }
        assertThat(all).contains("\"defaultValue\": \"round_robin\"").doesNotContain("Default: pick_first")
                .contains("a bare number is seconds");
    }

    private static TestBackend served() {
        return first.callsStarted() > 0 ? first : second;
    }

    private static FailureAnalysis analyze(String... properties) {
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        orders(properties).run(context -> failure.set(context.getStartupFailure()));
        assertThat(failure.get()).as("start-up failure").isNotNull();
        FailureAnalysis analysis = new LbChannelConfigurationFailureAnalyzer(null).analyze(failure.get());
        assertThat(analysis).as("analysis of %s", failure.get()).isNotNull();
        return analysis;
    }
}
