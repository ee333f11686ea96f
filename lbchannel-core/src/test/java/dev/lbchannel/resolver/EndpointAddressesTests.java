package dev.lbchannel.resolver;

import io.grpc.Attributes;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointAddressesTests {

    private static SocketAddress address(int n) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000 + n);
    }

    private static Endpoint endpoint(int... ports) {
        return new Endpoint(Arrays.stream(ports).mapToObj(EndpointAddressesTests::address).toList(),
                Attributes.EMPTY);
    }

    @Test
    void everyAddressEndpointAfterEndpointInOrder() {
        EndpointAddresses addresses = EndpointAddresses.of(EndpointList.of(List.of(endpoint(1), endpoint(2, 3), endpoint(1))));

        assertThat(addresses).containsExactly(address(1), address(2), address(3), address(1));
    }

    @Test
    void aDerivedListKnowsItsSizeAndChangesWithoutReadingAnAddress() {
        Endpoint two = endpoint(2, 3);
        EndpointList list = EndpointList.of(List.of(endpoint(1), two, endpoint(4)));
        EndpointAddresses before = EndpointAddresses.of(list);
        EndpointList next = list.without(two).withAdded(endpoint(5, 6, 7));
        List<EndpointList.Change> changes = EndpointList.changesSince(list, next);

        EndpointAddresses after = before.derive(next, changes);

        assertThat(after.size()).isEqualTo(5);
        assertThat(EndpointAddresses.changesSince(before, after)).isEqualTo(changes);
        assertThat(after.isWorkedOut()).isFalse();
        assertThat(next.isWorkedOut()).isFalse();
        assertThat(after).containsExactly(address(1), address(4), address(5), address(6), address(7));
        assertThat(after.isWorkedOut()).isTrue();
    }

    @Test
    void listsNotDerivedFromEachOtherHaveNoKnownChanges() {
        EndpointAddresses one = EndpointAddresses.of(EndpointList.of(List.of(endpoint(1))));
        EndpointAddresses other = EndpointAddresses.of(EndpointList.of(List.of(endpoint(1))));

        assertThat(EndpointAddresses.changesSince(one, other)).isNull();
        assertThat(EndpointAddresses.changesSince(List.of(address(1)), one)).isNull();
        assertThat(EndpointAddresses.changesSince(one, one)).isEmpty();
        assertThat(one).isEqualTo(other).isEqualTo(List.of(address(1)));
    }

    @Test
    void anEndpointTakesThemWithoutACopy() {
        EndpointAddresses addresses = EndpointAddresses.of(EndpointList.of(List.of(endpoint(1), endpoint(2))));

        Endpoint merged = new Endpoint(addresses, Attributes.EMPTY);

        assertThat(merged.addresses()).isSameAs(addresses);
        assertThat(addresses.isWorkedOut()).isFalse();
    }
}
