package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.ImportLbChannelStubs;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.annotation.Configuration;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a refresh does to each kind of change, with real backends: in place, replaced behind the
 * stub bean, rejected, added and removed. The properties change in a property source in front of
 * the others; {@link LbChannelsRefresher#refresh()} is called directly, as an application without
 * Spring Cloud does, except where the test is about Spring Cloud's event.
 */
@Timeout(120)
class LbChannelsRefresherTests {

    private static final TestBackend FIRST = TestBackend.plaintext();
    private static final TestBackend SECOND = TestBackend.plaintext();
    private static final ServedByCounter COUNTER = new ServedByCounter();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, LbChannelAutoConfiguration.class,
                    LbChannelRefreshAutoConfiguration.class))
            .withUserConfiguration(Stubs.class)
            .withBean(ClientInterceptor.class, () -> COUNTER)
            .withPropertyValues("lbchannel.defaults.plaintext=true",
                    "lbchannel.channels.a.target=" + target(FIRST),
                    "lbchannel.channels.a.default.load-balancing-policy=pick_first",
                    "lbchannel.channels.b.target=" + target(SECOND));

    @BeforeEach
    void resetCounts() {
        COUNTER.reset();
    }

    @AfterAll
    static void stopBackends() {
        FIRST.close();
        SECOND.close();
    }

    @Test
    void aNewPolicyAndTargetWithTheSameAuthorityApplyInPlaceUnderLoad() {
        runner.withPropertyValues("lbchannel.channels.a.authority=a.test").run(context -> {
            LbChannels channels = context.getBean(LbChannels.class);
            LbChannel a = channels.get("a");
            try (CallLoad load = new CallLoad("a", context.getBean("aTestServiceBlockingStub",
                    TestServiceBlockingStub.class), 4)) {
                Await.until("calls on the first backend", () -> served(FIRST) >= 50);
                ChangedProperties.of(context).set("lbchannel.channels.a.default.load-balancing-policy", "round_robin")
                        .set("lbchannel.channels.a.target", target(FIRST) + ",127.0.0.1:" + SECOND.port());

                LbChannelsRefresher.Result result = context.getBean(LbChannelsRefresher.class).refresh();

                assertThat(result.updated()).containsExactly("a");
                assertThat(result.replaced()).isEmpty();
                COUNTER.reset();
                Await.until("calls on both backends", () -> served(FIRST) >= 100 && served(SECOND) >= 100);
                load.close();
                assertThat(load.failures()).as("calls that failed during the refresh").isEmpty();
            }
            assertThat(channels.get("a")).isSameAs(a);
            assertThat(a.snapshot().lbPolicy()).isEqualTo("round_robin");
            assertThat(a.authority()).isEqualTo("a.test");
        });
    }

    @Test
    void aUserAgentChangeReplacesTheChannelBehindTheStubAndTheOldOneDrains() {
        runner.run(context -> {
            LbChannels channels = context.getBean(LbChannels.class);
            LbChannel old = channels.get("a");
            TestServiceBlockingStub stub = context.getBean("aTestServiceBlockingStub", TestServiceBlockingStub.class);
            try (CallLoad load = new CallLoad("a", stub, 4)) {
                Await.until("calls on the old channel", () -> old.snapshot().calls().succeeded() >= 50);
                ChangedProperties.of(context).set("lbchannel.channels.a.user-agent", "refreshed-agent");

                LbChannelsRefresher.Result result = context.getBean(LbChannelsRefresher.class).refresh();

                assertThat(result.replaced()).containsExactly("a");
                LbChannel replacement = channels.get("a");
                assertThat(replacement).isNotSameAs(old);
                Await.until("calls on the new channel", () -> replacement.snapshot().calls().succeeded() >= 50);
                Await.until("the old channel drained and terminated", old::isTerminated);
                load.close();
                assertThat(load.failures()).as("calls that failed during the replacement").isEmpty();
            }
            assertThat(FIRST.lastHeaders().get(Metadata.Key.of("user-agent",
                    Metadata.ASCII_STRING_MARSHALLER))).startsWith("refreshed-agent");
            assertThat(channels.get("b").snapshot().calls().started()).as("b untouched and unused").isZero();
        });
    }

    @Test
    void anInvalidRefreshChangesNothingAndNamesTheProperty() {
        runner.withPropertyValues("lbchannel.channels.a.authority=a.test").run(context -> {
            LbChannels channels = context.getBean(LbChannels.class);
            LbChannel a = channels.get("a");
            LbChannel b = channels.get("b");
            LbChannelsRefresher refresher = context.getBean(LbChannelsRefresher.class);
            ChangedProperties changed = ChangedProperties.of(context);

            changed.set("lbchannel.channels.a.target", target(SECOND)).set("lbchannel.channels.b.target", "nosuch:///x");
            assertThatExceptionOfType(LbChannelConfigurationException.class).isThrownBy(refresher::refresh)
                    .satisfies(e -> assertThat(e.getName()).isEqualTo("lbchannel.channels.b.target"))
                    .withMessageContaining("Unknown scheme 'nosuch'");
            changed.set("lbchannel.channels.b.target", "static:///127.0.0.1:notaport");
            assertThatExceptionOfType(LbChannelConfigurationException.class).isThrownBy(refresher::refresh)
                    .satisfies(e -> assertThat(e.getName()).isEqualTo("lbchannel.channels.b.target"));
            changed.set("lbchannel.channels.b.target", target(SECOND)).set("lbchannel.channels.b.keepalive.time", "banana");
            assertThatExceptionOfType(LbChannelConfigurationException.class).isThrownBy(refresher::refresh)
                    .satisfies(e -> assertThat(e.getName()).isEqualTo("lbchannel.channels.b.keepalive.time"));
            changed.set("lbchannel.channels.b.keepalive.time", "30s")
                    .set("lbchannel.channels.a.service-config-json", "{\"loadBalancingConfig\":[{\"no_such\":{}}]}");
            assertThatExceptionOfType(LbChannelConfigurationException.class).isThrownBy(refresher::refresh)
                    .satisfies(e -> assertThat(e.getName()).isEqualTo("lbchannel.channels.a.service-config-json"));

            assertThat(channels.asMap()).containsExactly(Map.entry("a", a), Map.entry("b", b));
            assertThat(a.target()).as("a's target moved back when b's failed").isEqualTo(target(FIRST));
            TestServiceGrpc.newBlockingStub(a).withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            assertThat(a.snapshot().lbPolicy()).isEqualTo("pick_first");
            assertThat(served(SECOND)).isZero();
        });
    }

    @Test
    void channelsAreAddedAndRemoved() {
        runner.run(context -> {
            LbChannels channels = context.getBean(LbChannels.class);
            LbChannel b = channels.get("b");
            ChangedProperties.of(context).set("lbchannel.channels.b.enabled", "false")
                    .set("lbchannel.channels.c.target", target(SECOND));

            LbChannelsRefresher.Result result = context.getBean(LbChannelsRefresher.class).refresh();

            assertThat(result.added()).containsExactly("c");
            assertThat(result.removed()).containsExactly("b");
            assertThat(channels.names()).containsExactly("a", "c");
            TestServiceGrpc.newBlockingStub(channels.get("c")).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .emptyCall(Empty.getDefaultInstance());
            assertThat(served(SECOND)).isPositive();
            Await.until("the removed channel terminated", b::isTerminated);
        });
    }

    @Test
    void springCloudsEventRefreshesOnlyWhenItsKeysTouchLbchannel() {
        runner.run(context -> {
            LbChannel a = context.getBean(LbChannels.class).get("a");
            ChangedProperties changed = ChangedProperties.of(context);

            changed.set("lbchannel.channels.a.default.load-balancing-policy", "round_robin");
            context.publishEvent(new EnvironmentChangeEvent(context, Set.of("unrelated.key")));
            assertThat(a.snapshot().lbPolicy()).isEqualTo("pick_first");

            changed.publish();
            Await.until("round_robin in use", () -> a.snapshot().lbPolicy().equals("round_robin"));

            changed.set("lbchannel.channels.a.target", "nosuch:///x").publish(); // logged, not thrown
            assertThat(a.target()).isEqualTo(target(FIRST));
        });
    }

    @Test
    void aRefreshAfterTheContextClosedChangesNothing() {
        runner.run(context -> {
            LbChannelsRefresher refresher = context.getBean(LbChannelsRefresher.class);
            ChangedProperties.of(context).set("lbchannel.channels.c.target", target(SECOND));
            context.close();
            assertThatExceptionOfType(IllegalStateException.class).isThrownBy(refresher::refresh)
                    .withMessageContaining("closing");
        });
    }

    private static int served(TestBackend backend) {
        return COUNTER.served("127.0.0.1:" + backend.port());
    }

    private static String target(TestBackend backend) {
        return "static:///127.0.0.1:" + backend.port();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportLbChannelStubs(channel = "a", value = TestServiceBlockingStub.class)
    static class Stubs {
    }
}
