package dev.lbchannel.boot.autoconfigure.discovery;

import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAttributes;
import dev.lbchannel.resolver.ResolutionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class InstanceEndpointsTests {

    @Test
    void theGrpcPortComesFromMetadataInEitherSpellingElseTheInstancesPort() {
        assertThat(InstanceEndpoints.grpcPort(instance("a", "10.0.0.1", 8080, Map.of("grpc.port", "9090")))).isEqualTo(9090);
        assertThat(InstanceEndpoints.grpcPort(instance("a", "10.0.0.1", 8080, Map.of("gRPC_port", "9091")))).isEqualTo(9091);
        assertThat(InstanceEndpoints.grpcPort(instance("a", "10.0.0.1", 8080,
                Map.of("grpc.port", "9090", "gRPC_port", "9091")))).as("grpc.port first").isEqualTo(9090);
        assertThat(InstanceEndpoints.grpcPort(instance("a", "10.0.0.1", 8080, Map.of()))).isEqualTo(8080);
        assertThat(InstanceEndpoints.grpcPort(instance("a", "10.0.0.1", 8080, Map.of("grpc.port", "grpc")))).isEqualTo(-1);
    }

    @Test
    void anInstanceWhoseMetadataPortIsNotANumberIsLeftOut() {
        ResolutionResult result = InstanceEndpoints.resolve("orders", List.of(
                instance("a", "10.0.0.1", 8080, Map.of("grpc.port", "none")),
                instance("b", "10.0.0.2", 8080, Map.of("grpc.port", "9090"))));

        assertThat(addresses(result.endpoints())).containsExactly("10.0.0.2:9090");
    }

    @Test
    void endpointsAreOrderedByAddressSoTheSameInstancesInAnotherOrderAreEqual() {
        ServiceInstance a = instance("a", "10.0.0.2", 9090, Map.of());
        ServiceInstance b = instance("b", "10.0.0.1", 9090, Map.of());

        ResolutionResult one = InstanceEndpoints.resolve("orders", List.of(a, b));
        ResolutionResult other = InstanceEndpoints.resolve("orders", List.of(b, a));

        assertThat(addresses(one.endpoints())).containsExactly("10.0.0.1:9090", "10.0.0.2:9090");
        assertThat(one).isEqualTo(other);
    }

    @Test
    void metadataAndZoneBecomeEndpointAttributes() {
        ResolutionResult result = InstanceEndpoints.resolve("orders", List.of(
                instance("a", "10.0.0.1", 9090, Map.of("zone", "eu-1a", "version", "2"))));

        Endpoint endpoint = result.endpoints().get(0);
        assertThat(endpoint.attributes().get(EndpointAttributes.ZONE)).isEqualTo("eu-1a");
        assertThat(endpoint.attributes().get(EndpointAttributes.METADATA)).containsEntry("version", "2");
    }

    @Test
    void theServiceConfigIsTheFirstInstancesJson() {
        ResolutionResult result = InstanceEndpoints.resolve("orders", List.of(
                instance("b", "10.0.0.2", 9090, Map.of("grpc.service-config", "{\"loadBalancingConfig\":[{\"pick_first\":{}}]}")),
                instance("a", "10.0.0.1", 9090, Map.of())));

        assertThat(result.serviceConfig()).containsKey("loadBalancingConfig");
        assertThat(result.serviceConfigError()).isNull();
    }

    @Test
    void aServiceConfigThatIsNotJsonIsAConfigErrorAndTheEndpointsStay() {
        ResolutionResult result = InstanceEndpoints.resolve("orders", List.of(
                instance("a", "10.0.0.1", 9090, Map.of("grpc.service-config", "{not json"))));

        assertThat(result.endpoints()).hasSize(1);
        assertThat(result.serviceConfig()).isNull();
        assertThat(result.serviceConfigError()).isNotNull();
        assertThat(result.serviceConfigError().getDescription())
                .startsWith("The grpc.service-config metadata of instance a (service orders) is not a JSON object");
    }

    @Test
    void noServiceConfigMeansTheChannelsDefault() {
        ResolutionResult result = InstanceEndpoints.resolve("orders", List.of(instance("a", "10.0.0.1", 9090, Map.of())));

        assertThat(result.serviceConfig()).isNull();
        assertThat(result.serviceConfigError()).isNull();
    }

    static ServiceInstance instance(String id, String host, int port, Map<String, String> metadata) {
        return new DefaultServiceInstance(id, "orders", host, port, false, metadata);
    }

    private static List<String> addresses(List<Endpoint> endpoints) {
        return endpoints.stream().map(e -> SocketAddresses.text(e.addresses().get(0))).toList();
    }
}
