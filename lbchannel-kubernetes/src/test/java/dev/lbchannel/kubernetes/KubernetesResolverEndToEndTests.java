package dev.lbchannel.kubernetes;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.kubernetes.MockApiServer.EndpointState;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.CallTally;
import dev.lbchannel.testing.PacedLoad;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static dev.lbchannel.kubernetes.MockApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code kubernetes} resolver end to end: fabric8's mock API server in CRUD mode (WebSocket
 * watches on loopback, see {@link MockApiServer}), four real grpc-java backends on loopback, and a
 * {@code round_robin} channel under a steady {@value PacedLoad#CALLS_PER_SECOND} calls a second.
 * Each backend is one pod with its own EndpointSlice (its own port number behind the one port
 * name {@code grpc}, as when pods of one Service name different container ports), so every test
 * also merges slices. No call may fail in any of them.
 */
@Timeout(120)
class KubernetesResolverEndToEndTests {

    private static final Logger logger = Logger.getLogger(KubernetesResolverEndToEndTests.class.getName());
    private static final String SERVICE = "orders";

    private final List<TestBackend> backends = new ArrayList<>();
    private final ServedByCounter servedBy = new ServedByCounter();
    private MockApiServer api;
    private KubernetesClient client;
    private LbChannel channel;

    @BeforeEach
    void start() {
        api = new MockApiServer();
        for (int i = 0; i < 4; i++) {
            backends.add(TestBackend.plaintext());
        }
        pods(0, 2, EndpointState.READY);
        client = api.resolverClient();
        channel = LbChannelBuilder.forTarget("kubernetes:///" + SERVICE + "." + MockApiServer.NAMESPACE + ":grpc")
                .usePlaintext()
                .defaultLoadBalancingPolicy("round_robin")
                .resolverProvider(new KubernetesResolverProvider(client))
                .intercept(servedBy)
                .build();
        channel.getState(true);   // leave IDLE: resolve and connect before the first call
        awaitReady(0, 1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.close();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void scaleUpFromTwoToFourSendsCallsToTheNewPodsWithinTwoSeconds() {
        try (PacedLoad load = PacedLoad.start(channel)) {
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);

            long applying = System.nanoTime();
            pods(2, 4, EndpointState.READY);
            long changed = System.nanoTime();   // both slices are stored: the change has happened
            Await.until("pods 2 and 3 to serve calls", Duration.ofSeconds(20), () -> served(2) > 0 && served(3) > 0);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);

            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);
            assertNoneFailed(load.stop());
            logger.info("Scale-up 2 -> 4: calls on both new pods " + millis + " ms after the slices were stored ("
                    + TimeUnit.NANOSECONDS.toMillis(changed - applying) + " ms to store them)");
            assertThat(millis).as("from the stored slices to calls on both new pods, ms").isLessThanOrEqualTo(2_000);
            assertThat(channel.snapshot().resolution().endpoints()).isEqualTo(4);
        }
    }

    @Test
    void scaleDownThroughTerminatingEndpointsLosesNoCall() {
        pods(2, 4, EndpointState.READY);
        awaitReady(0, 1, 2, 3);
        try (PacedLoad load = PacedLoad.start(channel)) {
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);

            pods(2, 4, EndpointState.TERMINATING);   // serving, terminating, not ready: no new calls
            awaitSubchannels(0, 1);
            servedBy.reset();
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND);
            assertThat(served(2) + served(3)).as("new calls on terminating pods").isZero();

            api.delete(SERVICE + "-2");
            api.delete(SERVICE + "-3");
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);
            assertNoneFailed(load.stop());
            assertThat(channel.snapshot().resolution().endpoints()).isEqualTo(2);
        }
    }

    @Test
    void whileTheApiServerIsUnreachableForTenSecondsTheEndpointsStayAndChangesMadeMeanwhileAreSeenAfter() {
        try (PacedLoad load = PacedLoad.start(channel)) {
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);

            api.cutResolverOff();
            long down = System.nanoTime();
            pods(2, 3, EndpointState.READY);   // made while the resolver cannot hear of it
            Await.until("10 s with the API server unreachable, both pods READY throughout", Duration.ofSeconds(30), () -> {
                assertThat(readyAddresses()).as("READY subchannels while the API server is unreachable")
                        .containsExactlyInAnyOrder(address(0), address(1));
                return System.nanoTime() - down >= TimeUnit.SECONDS.toNanos(10);
            });
            assertThat(served(2)).as("calls on the pod added while the API server was unreachable").isZero();
            api.relay().resume();

            Await.until("the pod added meanwhile to serve calls", Duration.ofSeconds(60), () -> served(2) > 0);
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);
            assertNoneFailed(load.stop());
        }
    }

    @Test
    void aWatchAnsweredWithGoneRelistsAndSeesWhatChanged() {
        Await.until("the watch to open", () -> "WATCHING".equals(resolverDetails().get("watch")));
        assertThat(resolverDetails()).containsEntry("relists", 1L).containsKey("resourceVersion");
        try (PacedLoad load = PacedLoad.start(channel)) {
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);

            api.cutResolverOff();   // the watch drops; fabric8 reopens it from its resourceVersion: 410
            pods(2, 3, EndpointState.READY);
            // Armed only now: no watch request can reach the server while the relay refuses, so the
            // first one after resume() gets the 410, not one that raced refuse() and was cut.
            api.goneOnNextWatch();
            api.relay().resume();

            Await.until("the pod added meanwhile to serve calls", Duration.ofSeconds(60), () -> served(2) > 0);
            load.awaitMoreCalls(PacedLoad.CALLS_PER_SECOND / 2);
            assertNoneFailed(load.stop());
        }
        Await.until("the new watch to open", () -> "WATCHING".equals(resolverDetails().get("watch")));
        assertThat(resolverDetails()).containsEntry("gone", 1L).containsEntry("relists", 2L);
    }

    /** Pods {@code from} (inclusive) to {@code to} (exclusive), each in its own slice, in {@code state}. */
    private void pods(int from, int to, EndpointState state) {
        for (int i = from; i < to; i++) {
            api.apply(slice(SERVICE, SERVICE + "-" + i, "127.0.0.1", backends.get(i).port(), state,
                    "zone-" + (char) ('a' + i % 2)));
        }
    }

    private int served(int backend) {
        return servedBy.served(address(backend));
    }

    private String address(int backend) {
        return "127.0.0.1:" + backends.get(backend).port();
    }

    private List<String> readyAddresses() {
        return channel.snapshot().subchannels().stream().filter(s -> s.state() == ConnectivityState.READY)
                .flatMap(s -> s.addresses().stream()).toList();
    }

    private void awaitReady(int... indexes) {
        List<String> expected = new ArrayList<>();
        for (int i : indexes) {
            expected.add(address(i));
        }
        Await.until("READY subchannels " + expected, Duration.ofSeconds(20),
                () -> readyAddresses().containsAll(expected));
    }

    private void awaitSubchannels(int... indexes) {
        List<String> expected = new ArrayList<>();
        for (int i : indexes) {
            expected.add(address(i));
        }
        Await.until("exactly the subchannels " + expected, Duration.ofSeconds(20), () -> {
            List<String> addresses = channel.snapshot().subchannels().stream()
                    .flatMap(s -> s.addresses().stream()).toList();
            return addresses.size() == expected.size() && addresses.containsAll(expected);
        });
    }

    private Map<String, Object> resolverDetails() {
        return channel.snapshot().resolution().resolver();
    }

    private static void assertNoneFailed(CallTally tally) {
        assertThat(tally.started()).as("calls started").isGreaterThan(PacedLoad.CALLS_PER_SECOND);
        assertThat(tally.failures()).as("failed calls of %d, by status: %s", tally.started(), tally.failuresByStatus())
                .isEmpty();
    }
}
