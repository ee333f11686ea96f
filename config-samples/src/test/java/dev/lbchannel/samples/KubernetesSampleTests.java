package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/kubernetes.yml}: fabric8's mock API server in CRUD mode on loopback (it stores
 * EndpointSlices and streams watch events), the Service {@code orders} in namespace {@code shop}
 * with one EndpointSlice per pod, each pod a real gRPC backend. The application's client is a
 * {@link KubernetesClient} bean pointing at the mock server, which the starter uses instead of
 * creating one, as the sample's comment says.
 */
@Timeout(60)
class KubernetesSampleTests {

    private static final Map<ServerRequest, Queue<ServerResponse>> EXPECTATIONS = new HashMap<>();
    private static KubernetesMockServer api;

    private final List<TestBackend> backends = new ArrayList<>();
    private Sample sample;

    @BeforeEach
    void start() {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), EXPECTATIONS,
                new KubernetesMixedDispatcher(EXPECTATIONS), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        for (int i = 0; i < 3; i++) {
            backends.add(TestBackend.plaintext());
        }
        pod(0);
        pod(1);
        sample = Sample.start("kubernetes", List.of(MockCluster.class));
    }

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backends.forEach(TestBackend::close);
        if (api != null) {
            api.destroy();
        }
    }

    @Test
    void callsRotateOverTheReadyPodsAndFollowAScaleUp() {
        LbChannel orders = sample.channel("orders");
        ChannelConditions.awaitReadySubchannels(orders, 2);
        sample.servedBy().reset();
        for (int i = 0; i < 20; i++) {
            TestServiceGrpc.newBlockingStub(orders).emptyCall(Empty.getDefaultInstance());
        }
        assertThat(served(0)).isEqualTo(10);
        assertThat(served(1)).isEqualTo(10);
        assertThat(orders.snapshot().lbPolicy()).isEqualTo("round_robin");

        pod(2);

        ChannelConditions.awaitReadySubchannels(orders, 3);
        Await.until("the new pod to serve calls", () -> {
            TestServiceGrpc.newBlockingStub(orders).emptyCall(Empty.getDefaultInstance());
            return served(2) > 0;
        });
    }

    /** Pod {@code i}: its own slice of Service orders, its port named grpc, ready. */
    private void pod(int i) {
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata().withName("orders-" + i).withNamespace("shop")
                    .addToLabels("kubernetes.io/service-name", "orders").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("grpc").withPort(backends.get(i).port()).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions().endEndpoint()
                .build();
        try (NamespacedKubernetesClient admin = api.createClient()) {
            admin.discovery().v1().endpointSlices().inNamespace("shop").resource(slice).create();
        }
    }

    private int served(int i) {
        return sample.servedBy().served("127.0.0.1:" + backends.get(i).port());
    }

    /** The application's own client, here the mock API server's. */
    @Configuration(proxyBeanMethods = false)
    static class MockCluster {

        @Bean(destroyMethod = "close")
        KubernetesClient kubernetesClient() {
            return api.createClient();
        }
    }
}
