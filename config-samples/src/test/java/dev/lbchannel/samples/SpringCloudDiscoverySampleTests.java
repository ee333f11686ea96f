package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/spring-cloud-discovery.yml}: two instances of {@code orders} in Spring Cloud's
 * simple DiscoveryClient, registered with an HTTP port of 8080 and their real gRPC port in
 * {@code grpc.port} metadata, each a real gRPC backend on loopback.
 */
@Timeout(60)
class SpringCloudDiscoverySampleTests {

    private final TestBackend a = TestBackend.plaintext();
    private final TestBackend b = TestBackend.plaintext();
    private Sample sample;

    @BeforeEach
    void start() {
        sample = Sample.start("spring-cloud-discovery", "orders.host-a=127.0.0.1", "orders.host-b=127.0.0.1",
                "orders.grpc-port-a=" + a.port(), "orders.grpc-port-b=" + b.port());
    }

    @AfterEach
    void stop() {
        sample.close();
        a.close();
        b.close();
    }

    @Test
    void callsRotateOverTheInstancesOnTheirGrpcPorts() {
        List<ServiceInstance> instances = sample.bean(DiscoveryClient.class).getInstances("orders");
        assertThat(instances).extracting(ServiceInstance::getPort).containsOnly(8080);
        assertThat(instances).extracting(i -> i.getMetadata().get("zone")).containsExactly("eu-west-1a", "eu-west-1b");

        LbChannel orders = sample.channel("orders");
        ChannelConditions.awaitReadySubchannels(orders, 2);
        sample.servedBy().reset();
        for (int i = 0; i < 20; i++) {
            TestServiceGrpc.newBlockingStub(orders).emptyCall(Empty.getDefaultInstance());
        }

        assertThat(sample.servedBy().served("127.0.0.1:" + a.port())).isEqualTo(10);
        assertThat(sample.servedBy().served("127.0.0.1:" + b.port())).isEqualTo(10);
        assertThat(orders.snapshot().lbPolicy()).isEqualTo("round_robin");
        assertThat(orders.snapshot().resolution().resolver()).containsEntry("serviceId", "orders")
                .containsEntry("instances", 2);
    }
}
