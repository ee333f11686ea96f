package dev.lbchannel;

import dev.lbchannel.LoadBalancingTests.LoadGenerator;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.BackendPool;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LbChannel#updateDefaultServiceConfig} and {@link LbChannel#updateTarget} on a running
 * channel, under load from fail-fast calls against grpc-java backends: a new policy takes over
 * through the graceful switch and a new target through a new resolver, without a failed call;
 * what cannot apply in place is refused and leaves the channel as it was.
 */
@Timeout(120)
class ChannelUpdateTests {

    private static final String AUTHORITY = "backends.test";

    private final BackendPool backends = new BackendPool(2);
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.close();
    }

    @Test
    void aPolicySwitchFromPickFirstToRoundRobinUnderLoadFailsNoCallAndSpreadsTheCalls() throws Exception {
        channel = build(target(0, 1), false, "pick_first");
        try (LoadGenerator load = new LoadGenerator(channel, 4, false)) {
            Await.until("calls on the first backend", () -> backends.served(0) >= 50);
            assertThat(backends.served(1)).as("pick_first uses the first backend only").isZero();

            channel.updateDefaultServiceConfig(null, "round_robin");

            Await.until("round_robin took over", () -> channel.snapshot().lbPolicy().equals("round_robin"));
            backends.resetCounts();
            Await.until("calls on both backends", () -> backends.served(0) >= 50 && backends.served(1) >= 50);
            assertThat(load.failures()).as("calls failed during the switch").isEmpty();
        }
        assertThat(descriptions(channel)).contains("Default load-balancing policy changed from pick_first to round_robin",
                "Load-balancing policy round_robin took over");
    }

    @Test
    void aDefaultServiceConfigNamingAPolicyTakesOverTheSameWay() throws Exception {
        channel = build(target(0, 1), false, "pick_first");
        try (LoadGenerator load = new LoadGenerator(channel, 4, false)) {
            Await.until("calls on the first backend", () -> backends.served(0) >= 50);

            channel.updateDefaultServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))),
                    "pick_first");

            Await.until("round_robin took over", () -> channel.snapshot().lbPolicy().equals("round_robin"));
            backends.resetCounts();
            Await.until("calls on both backends", () -> backends.served(0) >= 50 && backends.served(1) >= 50);
            assertThat(load.failures()).as("calls failed during the switch").isEmpty();
        }
        assertThat(descriptions(channel)).contains("Default service config updated");
    }

    @Test
    void aNewMethodConfigWithTheSamePolicyKeepsEveryConnection() {
        channel = build(target(0, 1), true, "round_robin");
        channel.getState(true);
        Await.until("two READY subchannels", () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == 2);
        List<Long> before = socketIds();
        Map<String, ?> config = Map.of("methodConfig", List.of(Map.of(
                "name", List.of(Map.of("service", "grpc.testing.TestService")), "timeout", "5s")));

        channel.updateDefaultServiceConfig(config, "round_robin");

        Await.until("the new config in use", () -> channel.serviceConfig()
                .equals(ServiceConfig.parse(config, BalancerRegistry.builtIns())));
        call();
        assertThat(socketIds()).isEqualTo(before);
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("round_robin");
        assertThat(descriptions(channel)).contains("Default service config updated")
                .filteredOn(d -> d.startsWith("Load-balancing policy")).as("no new balancer")
                .containsExactly("Load-balancing policy round_robin created");
    }

    @Test
    void aNewTargetAddsABackendWhileTheConnectionToTheOneThatStaysIsKept() throws Exception {
        channel = build(target(0), true, "round_robin");
        try (LoadGenerator load = new LoadGenerator(channel, 4, false)) {
            Await.until("calls on the first backend", () -> backends.served(0) >= 50);
            SocketSnapshot before = onlySocket(subchannelOf(0));

            channel.updateTarget(target(0, 1));

            Await.until("calls on the added backend", () -> backends.served(1) >= 50);
            assertThat(load.failures()).as("calls failed during the change").isEmpty();
            assertThat(onlySocket(subchannelOf(0)).id()).as("the kept backend's connection").isEqualTo(before.id());
        }
        assertThat(channel.target()).isEqualTo(target(0, 1));
        assertThat(channel.snapshot().target()).isEqualTo(target(0, 1));
        assertThat(channel.authority()).isEqualTo(AUTHORITY);
        assertThat(descriptions(channel)).anyMatch(d -> d.startsWith("Target changed from " + target(0) + " to "));
    }

    @Test
    void aNewTargetWithoutTheOldBackendMovesTheCallsAndDrainsTheOldConnection() throws Exception {
        channel = build(target(0), true, "pick_first");
        try (LoadGenerator load = new LoadGenerator(channel, 4, false)) {
            Await.until("calls on the first backend", () -> backends.served(0) >= 50);

            channel.updateTarget(target(1));

            Await.until("calls on the new backend", () -> backends.served(1) >= 50);
            Await.until("the old backend's subchannel gone", () -> channel.snapshot().subchannels().stream()
                    .noneMatch(s -> s.addresses().contains("127.0.0.1:" + backends.port(0))));
            assertThat(load.failures()).as("calls failed during the change").isEmpty();
        }
    }

    @Test
    void aTargetThatWouldDeriveAnotherAuthorityIsRefusedAndChangesNothing() {
        channel = build(target(0), false, "pick_first");
        call();

        // A static list's authority is its first entry: another first entry derives another one.
        assertThatThrownBy(() -> channel.updateTarget(target(1, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would change the channel's authority from '127.0.0.1:" + backends.port(0) + "'");

        assertThat(channel.target()).isEqualTo(target(0));
        call();
        assertThat(backends.served(1)).isZero();
    }

    @Test
    void aStaticListThatKeepsItsFirstEntryKeepsItsAuthorityAndIsAppliedInPlace() {
        channel = build(target(0), false, "round_robin");
        call();

        channel.updateTarget(target(0, 1));

        assertThat(channel.authority()).isEqualTo("127.0.0.1:" + backends.port(0));
        Await.until("calls on the added backend", () -> {
            call();
            return backends.served(1) > 0;
        });
    }

    @Test
    void anUnusableUpdateIsRefusedWithItsReasonAndTheChannelKeepsItsConfig() {
        channel = build(target(0, 1), true, "pick_first");
        call();

        assertThatThrownBy(() -> channel.updateTarget("nosuch:///x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown scheme 'nosuch'");
        assertThatThrownBy(() -> channel.updateTarget("static:///")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid target 'static:///'");
        assertThatThrownBy(() -> channel.updateDefaultServiceConfig(null, "no_such_policy"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_policy");
        assertThatThrownBy(() -> channel.updateDefaultServiceConfig(Map.of("loadBalancingConfig",
                List.of(Map.of("no_such_policy", Map.of()))), "round_robin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_policy");

        for (int i = 0; i < 20; i++) {
            call();
        }
        assertThat(backends.served(1)).as("still pick_first").isZero();
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("pick_first");
        assertThat(channel.target()).isEqualTo(target(0, 1));
    }

    @Test
    void anIdleChannelShowsTheNewPolicyAndUsesBothUpdatesWhenItLeavesIdle() {
        channel = build(target(0), true, "pick_first");

        channel.updateDefaultServiceConfig(null, "round_robin");
        channel.updateTarget(target(0, 1));

        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.IDLE);
        Await.until("the idle channel's policy", () -> channel.snapshot().lbPolicy().equals("round_robin"));
        channel.getState(true);
        Await.until("two READY subchannels", () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == 2);
        for (int i = 0; i < 10; i++) {
            call();
        }
        assertThat(backends.served(0)).isEqualTo(5);
        assertThat(backends.served(1)).isEqualTo(5);
    }

    @Test
    void updatesToAShutDownChannelAreIgnored() {
        channel = build(target(0), true, "pick_first");
        channel.shutdown();

        channel.updateTarget(target(1));
        channel.updateDefaultServiceConfig(null, "round_robin");

        assertThat(channel.target()).isEqualTo(target(0));
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("pick_first");
    }

    private LbChannel build(String target, boolean overrideAuthority, String policy) {
        LbChannelBuilder builder = LbChannelBuilder.forTarget(target).usePlaintext()
                .defaultLoadBalancingPolicy(policy).connectionBackoff(LoadBalancingTests.FAST_BACKOFF)
                .intercept(backends.counter());
        return (overrideAuthority ? builder.overrideAuthority(AUTHORITY) : builder).build();
    }

    private String target(int... indexes) {
        StringBuilder target = new StringBuilder("static:///");
        for (int i = 0; i < indexes.length; i++) {
            target.append(i == 0 ? "" : ",").append("127.0.0.1:").append(backends.port(indexes[i]));
        }
        return target.toString();
    }

    private void call() {
        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
    }

    private SubchannelSnapshot subchannelOf(int backend) {
        String address = "127.0.0.1:" + backends.port(backend);
        return channel.snapshot().subchannels().stream().filter(s -> s.addresses().contains(address))
                .findFirst().orElseThrow();
    }

    private List<Long> socketIds() {
        return channel.snapshot().subchannels().stream().flatMap(s -> s.sockets().stream())
                .map(SocketSnapshot::id).sorted().toList();
    }

    private static SocketSnapshot onlySocket(SubchannelSnapshot subchannel) {
        assertThat(subchannel.sockets()).hasSize(1);
        return subchannel.sockets().get(0);
    }

    private static List<String> descriptions(LbChannel channel) {
        return channel.snapshot().trace().stream().map(TraceEvent::description).toList();
    }
}
