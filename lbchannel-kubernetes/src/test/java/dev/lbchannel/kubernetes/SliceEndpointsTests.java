package dev.lbchannel.kubernetes;

import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAttributes;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class SliceEndpointsTests {

    private static final ServiceTarget GRPC = new ServiceTarget("orders", "shop", ServiceTarget.ANY_PORT, "grpc");

    /** What the resolver reports for these slices listed at once. */
    private static List<Endpoint> merge(List<EndpointSlice> slices, ServiceTarget target) {
        SliceClaims claims = new SliceClaims(target);
        claims.relist(slices);
        return claims.endpoints();
    }

    @Test
    void readyEndpointsOfEverySliceAreMergedInSliceNameOrder() {
        EndpointSlice b = slice("orders-b", "grpc", 50052, endpoint("10.0.0.3", true, null));
        EndpointSlice a = slice("orders-a", "grpc", 50051, endpoint("10.0.0.1", true, null), endpoint("10.0.0.2", null, null));

        assertThat(addresses(merge(List.of(b, a), GRPC)))
                .containsExactly("10.0.0.1:50051", "10.0.0.2:50051", "10.0.0.3:50052");
    }

    @Test
    void terminatingAndNotReadyEndpointsAreLeftOut() {
        EndpointSlice slice = slice("orders-a", "grpc", 50051,
                endpoint("10.0.0.1", true, null),
                new EndpointBuilder().withAddresses("10.0.0.2")
                        .withNewConditions().withReady(false).withServing(true).withTerminating(true).endConditions().build(),
                endpoint("10.0.0.3", false, null));

        assertThat(addresses(merge(List.of(slice), GRPC))).containsExactly("10.0.0.1:50051");
    }

    @Test
    void anAddressInTwoSlicesIsReportedOnce() {
        EndpointSlice a = slice("orders-a", "grpc", 50051, endpoint("10.0.0.1", true, null));
        EndpointSlice b = slice("orders-b", "grpc", 50051, endpoint("10.0.0.1", true, null));

        assertThat(addresses(merge(List.of(a, b), GRPC))).containsExactly("10.0.0.1:50051");
    }

    @Test
    void thePortIsChosenByNameByNumberOrAsTheOnlyOne() {
        EndpointSlice twoPorts = new EndpointSliceBuilder(slice("orders-a", "grpc", 50051, endpoint("10.0.0.1", true, null)))
                .addNewPort().withName("metrics").withPort(9090).withProtocol("TCP").endPort().build();
        EndpointSlice onePort = slice("orders-b", "http", 8080, endpoint("10.0.0.2", true, null));

        assertThat(SliceEndpoints.port(twoPorts, GRPC)).isEqualTo(50051);
        assertThat(SliceEndpoints.port(twoPorts, new ServiceTarget("orders", null, 9090, null))).isEqualTo(9090);
        assertThat(SliceEndpoints.port(twoPorts, new ServiceTarget("orders", null, 1234, null))).isNull();
        assertThat(SliceEndpoints.port(twoPorts, new ServiceTarget("orders", null, ServiceTarget.ANY_PORT, null)))
                .as("two ports and none named").isNull();
        assertThat(SliceEndpoints.port(onePort, new ServiceTarget("orders", null, ServiceTarget.ANY_PORT, null)))
                .isEqualTo(8080);
        assertThat(SliceEndpoints.port(onePort, GRPC)).as("no port named grpc").isNull();
    }

    @Test
    void aSliceWithoutTheNamedPortContributesNothing() {
        EndpointSlice other = slice("orders-b", "http", 8080, endpoint("10.0.0.2", true, null));

        assertThat(merge(List.of(other), GRPC)).isEmpty();
    }

    @Test
    void udpPortsAndFqdnSlicesAreSkipped() {
        EndpointSlice udp = new EndpointSliceBuilder().withNewMetadata().withName("orders-udp").endMetadata()
                .withAddressType("IPv4").addNewPort().withName("grpc").withPort(50051).withProtocol("UDP").endPort()
                .withEndpoints(endpoint("10.0.0.1", true, null)).build();
        EndpointSlice fqdn = new EndpointSliceBuilder(slice("orders-fqdn", "grpc", 50051, endpoint("10.0.0.2", true, null)))
                .withAddressType("FQDN").build();

        assertThat(merge(List.of(udp, fqdn), GRPC)).isEmpty();
    }

    @Test
    void zoneAndZoneHintsBecomeEndpointAttributes() {
        EndpointSlice slice = slice("orders-a", "grpc", 50051,
                new EndpointBuilder(endpoint("10.0.0.1", true, "eu-west-1a"))
                        .withNewHints().addNewForZone("eu-west-1a").addNewForZone("eu-west-1b").endHints().build(),
                endpoint("10.0.0.2", true, null));

        List<Endpoint> endpoints = merge(List.of(slice), GRPC);

        assertThat(endpoints.get(0).attributes().get(EndpointAttributes.ZONE)).isEqualTo("eu-west-1a");
        assertThat(endpoints.get(0).attributes().get(EndpointAttributes.FOR_ZONES))
                .containsExactly("eu-west-1a", "eu-west-1b");
        assertThat(endpoints.get(1).attributes().get(EndpointAttributes.ZONE)).as("no zone: no attribute").isNull();
        assertThat(endpoints.get(1).attributes().get(EndpointAttributes.FOR_ZONES)).isNull();
    }

    @Test
    void equalSlicesGiveEqualEndpointLists() {
        EndpointSlice slice = slice("orders-a", "grpc", 50051, endpoint("10.0.0.1", true, "zone-a"));

        assertThat(merge(List.of(slice), GRPC))
                .isEqualTo(merge(List.of(new EndpointSliceBuilder(slice).build()), GRPC));
    }

    @Test
    void ipv6AddressesAreKept() {
        EndpointSlice slice = new EndpointSliceBuilder(slice("orders-a", "grpc", 50051, endpoint("fd00::1", true, null)))
                .withAddressType("IPv6").build();

        assertThat(addresses(merge(List.of(slice), GRPC))).containsExactly("[fd00::1]:50051");
    }

    private static EndpointSlice slice(String name, String portName, int port,
            io.fabric8.kubernetes.api.model.discovery.v1.Endpoint... endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
                .withEndpoints(endpoints)
                .build();
    }

    private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String ip, Boolean ready, String zone) {
        EndpointBuilder builder = new EndpointBuilder().withAddresses(ip).withZone(zone);
        if (ready != null) {
            builder.withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions();
        }
        return builder.build();
    }

    private static List<String> addresses(List<Endpoint> endpoints) {
        return endpoints.stream().map(e -> SocketAddresses.text(e.addresses().get(0))).toList();
    }
}
