package dev.lbchannel.balancer.pickfirst;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAddresses;
import dev.lbchannel.resolver.EndpointAttributes;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.testing.FakeBalancerHelper;
import io.grpc.Attributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resolver's list derived from the last one ({@link EndpointList}) reaches pick_first's one
 * subchannel as a change, without the balancer reading the other addresses (issue 18), and merges
 * to exactly what the whole list would.
 */
@Timeout(10)
class PickFirstChangeTests {

    /** pick_first with a helper; its one subchannel's endpoint is what it merged. */
    private static final class Driven {
        final FakeBalancerHelper helper = new FakeBalancerHelper();
        final Balancer balancer = new PickFirstBalancerProvider().newBalancer(helper);

        Endpoint accept(List<Endpoint> endpoints, boolean shuffle) {
            helper.serializer().execute(() -> assertThat(balancer.acceptResolvedEndpoints(new ResolvedEndpoints(
                    endpoints, shuffle ? new PickFirstConfig(true) : null, Attributes.EMPTY)).isOk()).isTrue());
            assertThat(helper.subchannels()).hasSize(1);
            return helper.subchannels().get(0).endpoint();
        }
    }

    private static List<Endpoint> endpoints(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).mapToObj(FakeBalancerHelper::endpoint).toList();
    }

    @Test
    void aOneEndpointChangeReachesTheSubchannelWithoutReadingTheList() {
        Driven driven = new Driven();
        List<Endpoint> start = endpoints(0, 1_000);
        EndpointList list = EndpointList.of(start);
        driven.accept(list, false);

        EndpointList changed = list.without(start.get(10)).withAdded(endpoint(2_000));
        Endpoint merged = driven.accept(changed, false);

        assertThat(merged.addresses()).isInstanceOf(EndpointAddresses.class).hasSize(1_000);
        assertThat(((EndpointAddresses) merged.addresses()).isWorkedOut()).isFalse();
        assertThat(changed.isWorkedOut()).isFalse();
        assertThat(merged.addresses()).startsWith(address(0), address(1)).endsWith(address(999), address(2_000))
                .doesNotContain(address(10));
    }

    @Test
    void anAddressListedTwiceIsMergedOnceAtItsFirstListing() {
        Driven driven = new Driven();
        Endpoint first = endpoint(1);
        Endpoint both = new Endpoint(List.of(address(2), address(1)), Attributes.EMPTY);
        EndpointList list = EndpointList.of(List.of(first, both));
        assertThat(driven.accept(list, false).addresses()).containsExactly(address(1), address(2));

        Endpoint merged = driven.accept(list.without(first), false);

        assertThat(merged.addresses()).containsExactly(address(2), address(1));
    }

    @Test
    void aShuffledListIsMergedWhole() {
        Driven driven = new Driven();
        List<Endpoint> start = endpoints(0, 50);
        EndpointList list = EndpointList.of(start);
        driven.accept(list, true);

        Endpoint merged = driven.accept(list.withAdded(endpoint(99)), true);

        assertThat(merged.addresses()).isNotInstanceOf(EndpointAddresses.class)
                .containsExactlyInAnyOrderElementsOf(addresses(endpoints(0, 50), endpoint(99)));
    }

    /**
     * Random changes (one-address and two-address endpoints, addresses shared between endpoints,
     * endpoints naming their own authority) fed as derived lists to one balancer and as whole
     * copies to another: the two subchannels get the same addresses and authorities each time.
     */
    @Test
    void derivedAndWholeListsMergeAlike() {
        Random random = new Random(18);
        Driven derived = new Driven();
        Driven whole = new Driven();
        List<Endpoint> current = new ArrayList<>(endpoints(0, 20));
        EndpointList list = EndpointList.of(current);
        derived.accept(list, false);
        whole.accept(List.copyOf(current), false);
        int changesApplied = 0;
        for (int step = 0; step < 400; step++) {
            // One endpoint removed or one added, so the list's size wanders around its start.
            if (current.size() > 1 && random.nextBoolean()) {
                list = list.without(current.remove(random.nextInt(current.size())));
            } else {
                Endpoint added = randomEndpoint(random);
                current.add(added);
                list = list.withAdded(added);
            }

            Endpoint fromChange = derived.accept(list, false);
            Endpoint fromWhole = whole.accept(List.copyOf(current), false);

            assertThat(fromChange.addresses()).as("step %d", step).containsExactlyElementsOf(fromWhole.addresses());
            assertThat(fromChange.attributes()).as("step %d", step).isEqualTo(fromWhole.attributes());
            if (fromChange.addresses() instanceof EndpointAddresses) {
                changesApplied++;
            }
        }
        // Both ways were taken: as changes, and whole while a repeated address or a named endpoint was listed.
        assertThat(changesApplied).as("updates applied as changes").isBetween(60, 380);
    }

    private static Endpoint randomEndpoint(Random random) {
        int roll = random.nextInt(40);
        if (roll == 0) {
            return new Endpoint(List.of(address(100 + random.nextInt(30))),
                    Attributes.newBuilder().set(EndpointAttributes.AUTHORITY, "named-" + random.nextInt(3) + ".example").build());
        }
        if (roll < 3) {
            return new Endpoint(List.of(address(100 + random.nextInt(60)), address(100 + random.nextInt(60))),
                    Attributes.EMPTY);
        }
        return endpoint(100 + random.nextInt(2_000));
    }

    private static List<SocketAddress> addresses(List<Endpoint> endpoints, Endpoint last) {
        List<SocketAddress> all = new ArrayList<>();
        endpoints.forEach(e -> all.addAll(e.addresses()));
        all.addAll(last.addresses());
        return all;
    }

    private static SocketAddress address(int n) {
        return endpoint(n).addresses().get(0);
    }
}
