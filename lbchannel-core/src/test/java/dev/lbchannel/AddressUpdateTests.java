package dev.lbchannel;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAddresses;
import dev.lbchannel.resolver.EndpointList;
import io.grpc.Attributes;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AddressUpdateTests {

    private static final SocketAddress A = new InetSocketAddress("127.0.0.1", 1001);
    private static final SocketAddress B = new InetSocketAddress("127.0.0.1", 1002);
    private static final SocketAddress C = new InetSocketAddress("127.0.0.1", 1003);

    @Test
    void wholeListsAreCompared() {
        assertThat(AddressUpdate.between(List.of(A, B), List.of(A, B)).isUnchanged()).isTrue();
        AddressUpdate update = AddressUpdate.between(List.of(A, B), List.of(B, C));
        assertThat(update.isUnchanged()).isFalse();
        assertThat(update.keeps(A)).isFalse();
        assertThat(update.keeps(B)).isTrue();
        assertThat(update).hasToString("Addresses changed to [127.0.0.1:1002, 127.0.0.1:1003]");
    }

    @Test
    void anAddressNoChangeRemovedIsKeptWithoutReadingTheList() {
        Endpoint onA = Endpoint.of(A);
        EndpointList list = EndpointList.of(List.of(onA, Endpoint.of(B)));
        EndpointAddresses before = EndpointAddresses.of(list);
        EndpointList next = list.without(onA).withAdded(Endpoint.of(C));
        EndpointAddresses after = before.derive(next, EndpointList.changesSince(list, next));

        AddressUpdate update = AddressUpdate.between(before, after);

        assertThat(update.isUnchanged()).isFalse();
        assertThat(update.keeps(B)).isTrue();
        assertThat(after.isWorkedOut()).isFalse();
        assertThat(update.keeps(A)).isFalse();
    }

    @Test
    void anAddressRemovedWithOneEndpointButListedByAnotherIsKept() {
        Endpoint onA = Endpoint.of(A);
        EndpointList list = EndpointList.of(List.of(onA, new Endpoint(List.of(B, A), Attributes.EMPTY)));
        EndpointAddresses before = EndpointAddresses.of(list);
        EndpointList next = list.without(onA);

        AddressUpdate update = AddressUpdate.between(before, before.derive(next, EndpointList.changesSince(list, next)));

        assertThat(update.keeps(A)).isTrue();
    }

    @Test
    void anAddressRemovedAndListedAgainIsKept() {
        Endpoint onA = Endpoint.of(A);
        EndpointList list = EndpointList.of(List.of(onA, Endpoint.of(B)));
        EndpointAddresses before = EndpointAddresses.of(list);
        EndpointList next = list.without(onA).withAdded(Endpoint.of(A));

        AddressUpdate update = AddressUpdate.between(before, before.derive(next, EndpointList.changesSince(list, next)));

        assertThat(update.keeps(A)).isTrue();
        assertThat(AddressUpdate.between(before, before).isUnchanged()).isTrue();
    }
}
