package dev.lbchannel.resolver;

import io.grpc.Attributes;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointClaimsTests {

    private static final Attributes.Key<String> SOURCE = Attributes.Key.create("source");

    private final EndpointClaims claims = new EndpointClaims();

    private static Endpoint endpoint(int n, String source) {
        return new Endpoint(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000 + n)),
                Attributes.newBuilder().set(SOURCE, source).build());
    }

    private static List<String> described(List<Endpoint> endpoints) {
        return endpoints.stream().map(e -> ((InetSocketAddress) e.addresses().get(0)).getPort() + "@"
                + e.attributes().get(SOURCE)).toList();
    }

    @Test
    void theFirstListIsInClaimOrderAndAnAddressIsReportedAsItsFirstSourceByNameHasIt() {
        claims.claim("b", endpoint(2, "b"));
        claims.claim("c", endpoint(1, "c"));
        claims.claim("a", endpoint(1, "a")); // claimed later, but first by name

        assertThat(described(claims.endpoints())).containsExactly("1002@b", "1001@a");
    }

    @Test
    void eachClaimOrReleaseIsAChangeOfTheLastList() {
        claims.claim("a", endpoint(1, "a"));
        claims.claim("b", endpoint(2, "b"));
        EndpointList first = claims.endpoints();

        claims.claim("c", endpoint(3, "c"));
        EndpointList second = claims.endpoints();
        assertThat(EndpointList.changesSince(first, second)).containsExactly(
                new EndpointList.Change(List.of(), List.of(endpoint(3, "c"))));
        assertThat(second.isWorkedOut()).isFalse();

        claims.release("a", endpoint(1, "a").addresses());
        EndpointList third = claims.endpoints();
        assertThat(EndpointList.changesSince(second, third)).containsExactly(
                new EndpointList.Change(List.of(first.get(0)), List.of()));
        assertThat(EndpointList.changesSince(third, claims.endpoints())).as("nothing since").isEmpty();
    }

    @Test
    void whenTheFirstSourceReleasesAnAddressTheNextOneNamesIt() {
        claims.claim("a", endpoint(1, "a"));
        claims.claim("b", endpoint(1, "b"));
        EndpointList before = claims.endpoints();

        claims.release("a", endpoint(1, "a").addresses());

        EndpointList after = claims.endpoints();
        assertThat(EndpointList.changesSince(before, after)).containsExactly(
                new EndpointList.Change(List.of(before.get(0)), List.of(endpoint(1, "b"))));
        claims.release("x", endpoint(1, "x").addresses()); // never claimed: nothing
        claims.release("b", endpoint(9, "b").addresses());
        assertThat(claims.endpoints()).isSameAs(after);
    }

    @Test
    void whatComesAndGoesBetweenTwoListsIsNoChangeAndAReclaimKeepsTheListsObject() {
        claims.claim("a", endpoint(1, "a"));
        EndpointList before = claims.endpoints();

        claims.claim("b", endpoint(2, "b"));
        claims.release("b", endpoint(2, "b").addresses());
        claims.release("a", endpoint(1, "a").addresses());
        claims.claim("a", endpoint(1, "a")); // an equal endpoint, a new object
        claims.claim("a", endpoint(1, "a"));

        assertThat(claims.endpoints()).isSameAs(before);
        assertThat(claims.endpoints().get(0)).isSameAs(before.get(0));
    }

    @Test
    void clearingAndClaimingAgainChangesOnlyWhatDiffers() {
        for (int n = 0; n < 10; n++) {
            claims.claim("s", endpoint(n, "s"));
        }
        EndpointList before = claims.endpoints();

        claims.clear();
        for (int n = 1; n < 11; n++) { // a relist: one pod gone, one new
            claims.claim("s", endpoint(n, "s"));
        }

        EndpointList after = claims.endpoints();
        assertThat(EndpointList.changesSince(before, after)).containsExactly(
                new EndpointList.Change(List.of(before.get(0)), List.of(endpoint(10, "s"))));
        assertThat(after.get(0)).isSameAs(before.get(1));
    }
}
