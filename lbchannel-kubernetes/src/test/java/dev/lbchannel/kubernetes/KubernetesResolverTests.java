package dev.lbchannel.kubernetes;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.ResolutionStats;
import dev.lbchannel.kubernetes.MockApiServer.EndpointState;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.resolver.RecordingResolverListener.Event;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.lbchannel.kubernetes.MockApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The resolver against fabric8's CRUD mock API server ({@link MockApiServer}), one call at a time. */
@Timeout(60)
class KubernetesResolverTests {

    private final MockApiServer api = new MockApiServer();
    private final TestBackend backend = TestBackend.plaintext();
    private final KubernetesClient client = api.resolverClient();
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        client.close();
        api.close();
        backend.close();
    }

    @Test
    void withoutANamespaceTheClientsIsUsedAndAPortNumberMatchesTheSlicesPort() {
        api.apply(slice("orders", "orders-a", "127.0.0.1", backend.port(), EndpointState.READY, "zone-a"));
        channel = channel("kubernetes:///orders:" + backend.port());

        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());

        ResolutionStats resolution = channel.snapshot().resolution();
        assertThat(resolution.endpoints()).isEqualTo(1);
        assertThat(resolution.resolver()).containsEntry("service", "orders").containsEntry("namespace", "shop");
    }

    @Test
    void anApiServerThatCannotBeReachedAtStartIsAResolutionErrorUntilItCanBe() {
        api.apply(slice("orders", "orders-a", "127.0.0.1", backend.port(), EndpointState.READY, null));
        api.relay().refuse();
        channel = channel("kubernetes:///orders.shop:grpc");
        channel.getState(true);

        Await.until("a resolution error", () -> channel.snapshot().resolution().errors() > 0);
        assertThat(channel.snapshot().resolution().lastError())
                .startsWith("UNAVAILABLE: Cannot watch the EndpointSlices of Service orders in namespace shop, port grpc");
        assertThat(channel.snapshot().resolution().resolver()).containsEntry("watch", "BACKOFF");

        api.relay().resume();
        Await.until("READY once the API server answers", Duration.ofSeconds(30),
                () -> channel.getState(false) == ConnectivityState.READY);
    }

    @Test
    void aServiceWithoutSlicesReportsNoEndpointsAndFollowsTheFirstPod() {
        channel = channel("kubernetes:///orders.shop:grpc");
        channel.getState(true);
        Await.until("an empty result", () -> channel.snapshot().resolution().endpoints() == 0);

        api.apply(slice("orders", "orders-a", "127.0.0.1", backend.port(), EndpointState.READY, null));

        Await.until("READY with the first pod", () -> channel.getState(false) == ConnectivityState.READY);
    }

    @Test
    void eachReportIsDerivedFromTheLastSoTheBalancersApplyOnlyThePodThatChanged() throws InterruptedException {
        api.apply(slice("orders", "orders-a", "10.1.0.1", 50051, EndpointState.READY, null));
        api.apply(slice("orders", "orders-b", "10.1.0.2", 50051, EndpointState.READY, null));
        RecordingResolverListener listener = new RecordingResolverListener();
        try (ResolverTestEnvironment environment = new ResolverTestEnvironment()) {
            ResolverArgs args = environment.args(443);
            Resolver resolver = new KubernetesResolverProvider(client)
                    .newResolver(Target.parse("kubernetes:///orders.shop:50051"), args);
            args.serializer().execute(() -> resolver.start(listener));
            try {
                Event listed = listener.awaitResult("both pods", e -> e.addresses().size() == 2);
                api.apply(slice("orders", "orders-c", "10.1.0.3", 50051, EndpointState.READY, null));
                Event added = listener.awaitResult("the third pod", e -> e.addresses().size() == 3);
                api.apply(slice("orders", "orders-a", "10.1.0.1", 50051, EndpointState.NOT_READY, null));
                Event left = listener.awaitResult("the first pod not ready", e -> e.addresses().size() == 2
                        && listener.results().indexOf(e) > listener.results().indexOf(added));

                List<Endpoint> first = listed.result().endpoints();
                assertThat(EndpointList.changesSince(first, added.result().endpoints()))
                        .containsExactly(new EndpointList.Change(List.of(), List.of(added.result().endpoints().get(2))));
                assertThat(EndpointList.changesSince(added.result().endpoints(), left.result().endpoints()))
                        .containsExactly(new EndpointList.Change(List.of(first.get(0)), List.of()));
                assertThat(left.addresses()).containsExactly(List.of("10.1.0.2:50051"), List.of("10.1.0.3:50051"));
            } finally {
                args.serializer().execute(resolver::shutdown);
            }
        }
    }

    @Test
    void aTargetWithoutANamespaceNeedsAClientWithOne() {
        try (KubernetesClient noNamespace = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").build()).build()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> LbChannelBuilder.forTarget("kubernetes:///orders:grpc").usePlaintext()
                            .resolverProvider(new KubernetesResolverProvider(noNamespace)).build())
                    .withMessageContaining("it names no namespace and the Kubernetes client has none");
        }
    }

    @Test
    void theDefaultAuthorityIsTheServicesClusterName() {
        KubernetesResolverProvider provider = new KubernetesResolverProvider(client);

        assertThat(provider.defaultAuthority(Target.parse("kubernetes:///orders.payments:grpc")))
                .isEqualTo("orders.payments.svc");
        assertThat(provider.defaultAuthority(Target.parse("kubernetes:///orders:50051"))).isEqualTo("orders.shop.svc");
    }

    private LbChannel channel(String target) {
        return LbChannelBuilder.forTarget(target).usePlaintext().defaultLoadBalancingPolicy("round_robin")
                .resolverProvider(new KubernetesResolverProvider(client)).build();
    }
}
