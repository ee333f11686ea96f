package dev.lbchannel.balancer.base;

import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.testing.FakeBalancerHelper;
import dev.lbchannel.testing.FakeSubchannel;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/** A resolver's list derived from the last one ({@link EndpointList}): only the change is applied (issue 18). */
@Timeout(10)
class BaseBalancerChangeTests {

    private static final ConnectivityStateInfo READY = ConnectivityStateInfo.forNonError(ConnectivityState.READY);

    /** A base balancer with a helper, recording each READY picker's subchannels. */
    private static final class Driven {
        final FakeBalancerHelper helper = new FakeBalancerHelper();
        final List<List<Subchannel>> built = new ArrayList<>();
        final BaseBalancer balancer = new BaseBalancer(helper, ready -> {
            built.add(ready);
            PickResult first = PickResult.withSubchannel(ready.get(0));
            return args -> first;
        });
        int reported;

        void accept(List<Endpoint> endpoints) {
            helper.serializer().execute(() ->
                    balancer.acceptResolvedEndpoints(new ResolvedEndpoints(endpoints, null, Attributes.EMPTY)));
        }

        /** Every subchannel made since the last call reports READY, in one serializer task: one picker. */
        void newOnesReady() {
            helper.serializer().execute(() -> {
                List<FakeSubchannel> all = helper.subchannels();
                for (; reported < all.size(); reported++) {
                    all.get(reported).report(READY);
                }
            });
        }

        List<Endpoint> live() {
            return helper.subchannels().stream().filter(s -> !s.isShutdown()).map(FakeSubchannel::endpoint).toList();
        }

        List<Endpoint> lastPicker() {
            return built.get(built.size() - 1).stream().map(Subchannel::endpoint).toList();
        }
    }

    private static List<Endpoint> endpoints(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).mapToObj(FakeBalancerHelper::endpoint).toList();
    }

    @Test
    void aChangeTouchesOnlyTheChangedEndpointsAndNeverReadsTheList() {
        Driven driven = new Driven();
        List<Endpoint> start = endpoints(0, 10);
        EndpointList first = EndpointList.of(start);
        driven.accept(first);
        driven.newOnesReady();

        EndpointList second = first.with(List.of(start.get(3)), List.of(endpoint(20)));
        driven.accept(second);

        assertThat(second.isWorkedOut()).as("the balancer read the list").isFalse();
        assertThat(driven.helper.subchannels()).hasSize(11);
        assertThat(driven.helper.subchannels().get(3).isShutdown()).isTrue();
        assertThat(driven.helper.subchannels().get(10).endpoint()).isEqualTo(endpoint(20));
        assertThat(driven.lastPicker()).as("the READY one removed leaves the picker")
                .isEqualTo(List.of(start.get(0), start.get(1), start.get(2), start.get(4), start.get(5),
                        start.get(6), start.get(7), start.get(8), start.get(9)));
        driven.newOnesReady();
        assertThat(driven.lastPicker()).last().isEqualTo(endpoint(20));
        assertThat(second.isWorkedOut()).isFalse();
    }

    @Test
    void aOneEndpointChangeOfFiftyThousandAllocatesAFewHundredBytesAndReadsNoEndpoint() {
        Driven driven = new Driven();
        List<Endpoint> start = endpoints(0, 50_000); // one port each on loopback
        EndpointList list = EndpointList.of(start);
        driven.accept(list);
        driven.newOnesReady();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] most = new long[1];
        Endpoint last = start.get(start.size() - 1);
        Endpoint other = endpoint(60_000);
        for (int round = 0; round < 20; round++) { // the replaced endpoint and back, as the benchmark does
            EndpointList next = list.with(List.of(last), List.of(other));
            Endpoint gone = last;
            last = other;
            other = gone;
            list = next;
            boolean counted = round > 0; // the first takes a READY endpoint away: a new picker, O(ready)
            driven.helper.serializer().execute(() -> {
                long before = threads.getCurrentThreadAllocatedBytes();
                driven.balancer.acceptResolvedEndpoints(new ResolvedEndpoints(next, null, Attributes.EMPTY));
                if (counted) {
                    most[0] = Math.max(most[0], threads.getCurrentThreadAllocatedBytes() - before);
                }
            });
            assertThat(next.isWorkedOut()).isFalse();
        }

        // A whole-list update would read 50,000 endpoints; a change makes one subchannel and its bookkeeping.
        assertThat(most[0]).as("most bytes one update allocated").isLessThan(8 * 1024);
        assertThat(driven.live()).hasSize(50_000);
    }

    @Test
    void anEndpointListedTwiceKeepsItsSubchannelUntilBothListingsAreRemoved() {
        Driven driven = new Driven();
        Endpoint twice = endpoint(1);
        EndpointList list = EndpointList.of(List.of(twice, endpoint(2), twice));
        driven.accept(list);
        assertThat(driven.helper.subchannels()).hasSize(2);

        list = list.without(twice);
        driven.accept(list);
        assertThat(driven.live()).containsExactly(endpoint(1), endpoint(2));
        list = list.without(twice);
        driven.accept(list);
        assertThat(driven.live()).containsExactly(endpoint(2));
        list = list.withAdded(endpoint(2)); // a second listing of a kept endpoint: no new subchannel
        driven.accept(list);
        assertThat(driven.helper.subchannels()).hasSize(2);
    }

    @Test
    void anEndpointReplacedByOneWithNewAttributesKeepsItsSubchannel() {
        Driven driven = new Driven();
        Endpoint plain = endpoint(1);
        EndpointList list = EndpointList.of(List.of(plain, endpoint(2)));
        driven.accept(list);
        Attributes.Key<String> zone = Attributes.Key.create("zone");
        Endpoint zoned = new Endpoint(plain.addresses(), Attributes.newBuilder().set(zone, "b").build());

        driven.accept(list.with(List.of(plain), List.of(zoned)));

        assertThat(driven.helper.subchannels()).hasSize(2);
        assertThat(driven.helper.subchannels().get(0).isShutdown()).isFalse();
        assertThat(driven.helper.subchannels().get(0).endpoint()).isSameAs(zoned);
    }

    @Test
    void anAddressListedTwiceWithDifferentAttributesKeepsTheAttributesTheWholeListWouldGiveIt() {
        Driven driven = new Driven();
        Attributes.Key<String> zone = Attributes.Key.create("zone");
        Endpoint inA = new Endpoint(endpoint(1).addresses(), Attributes.newBuilder().set(zone, "a").build());
        Endpoint inB = new Endpoint(endpoint(1).addresses(), Attributes.newBuilder().set(zone, "b").build());
        EndpointList list = EndpointList.of(List.of(inA, endpoint(2)));
        driven.accept(list);

        list = list.withAdded(inB); // a second listing: the first one's attributes stay
        driven.accept(list);
        assertThat(driven.helper.subchannels().get(0).endpoint()).isSameAs(inA);

        list = list.without(inA); // the listing it carried goes: the one left decides
        driven.accept(list);
        assertThat(driven.helper.subchannels()).hasSize(2);
        assertThat(driven.helper.subchannels().get(0).endpoint()).isSameAs(inB);
        assertThat(driven.helper.subchannels().get(0).isShutdown()).isFalse();
    }

    @Test
    void anEndpointRemovedAndListedAgainInUpdatesTheBalancerDidNotSeeKeepsItsSubchannel() {
        Driven driven = new Driven();
        List<Endpoint> start = endpoints(0, 5);
        EndpointList first = EndpointList.of(start);
        driven.accept(first);
        EndpointList gone = first.without(start.get(2)); // never reaches the balancer
        EndpointList back = gone.withAdded(start.get(2));

        driven.accept(back);

        assertThat(driven.helper.subchannels()).hasSize(5).noneMatch(FakeSubchannel::isShutdown);
    }

    @Test
    void changesAppliedOneByOneLeaveWhatTheWholeListWould() {
        Random random = new Random(5);
        Driven byChange = new Driven();
        Driven byList = new Driven();
        List<Endpoint> current = new ArrayList<>(endpoints(0, 40));
        EndpointList list = EndpointList.of(current);
        byChange.accept(list);
        byList.accept(new ArrayList<>(current));
        int next = 100;
        boolean hadDuplicates = false;
        List<Endpoint> gone = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            List<Endpoint> removed = new ArrayList<>();
            for (int r = random.nextInt(3); r > 0 && current.size() > 1; r--) {
                removed.add(current.remove(random.nextInt(current.size())));
            }
            gone.addAll(removed);
            List<Endpoint> added = new ArrayList<>();
            for (int a = random.nextInt(3); a > 0; a--) {
                // Now and then an endpoint already listed: a second listing, not a second subchannel.
                int kind = random.nextInt(8);
                Endpoint endpoint = step > 150 && kind == 0 ? current.get(random.nextInt(current.size())) // listed twice
                        : step > 150 && kind == 1 && !gone.isEmpty() ? gone.get(random.nextInt(gone.size())) // back again
                        : endpoint(next++);
                added.add(endpoint);
                current.add(endpoint);
            }
            list = list.with(removed, added);
            if (random.nextInt(4) == 0) {
                continue; // several changes reach the balancer as one update
            }
            byChange.accept(list);
            byList.accept(new ArrayList<>(current));
            if (random.nextBoolean()) {
                byChange.newOnesReady();
                byList.newOnesReady();
            }
            assertThat(byChange.live()).as("step %d", step).containsExactlyInAnyOrderElementsOf(byList.live());
            assertThat(byChange.helper.state()).isEqualTo(byList.helper.state());
            if (byList.helper.state() != ConnectivityState.READY) {
                continue;
            }
            // An endpoint listed twice, or back after leaving, keeps its first place here but not in the list.
            hadDuplicates |= step > 150;
            if (!hadDuplicates) {
                assertThat(byChange.lastPicker()).as("step %d, in resolver order", step).isEqualTo(byList.lastPicker());
            } else {
                assertThat(byChange.lastPicker()).as("step %d", step)
                        .containsExactlyInAnyOrderElementsOf(byList.lastPicker());
            }
        }
    }
}
