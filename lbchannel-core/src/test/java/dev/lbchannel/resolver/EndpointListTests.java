package dev.lbchannel.resolver;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointListTests {

    private static Endpoint endpoint(int n) {
        return Endpoint.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000 + n));
    }

    private static List<Endpoint> endpoints(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).mapToObj(EndpointListTests::endpoint).toList();
    }

    @Test
    void aDerivedListIsTheEarlierOneWithoutTheRemovedAndWithTheAddedAtTheEnd() {
        List<Endpoint> start = endpoints(0, 5);
        EndpointList list = EndpointList.of(start);
        Endpoint added = endpoint(9);
        EndpointList derived = list.with(List.of(start.get(1), start.get(3)), List.of(added));

        assertThat(derived.isWorkedOut()).isFalse();
        assertThat(derived).hasSize(4).containsExactly(start.get(0), start.get(2), start.get(4), added);
        assertThat(derived.isWorkedOut()).isTrue();
        assertThat(list).isEqualTo(start); // the earlier list is unchanged
    }

    @Test
    void anEndpointListedTwiceIsRemovedOncePerTimeItIsNamed() {
        Endpoint twice = endpoint(1);
        EndpointList list = EndpointList.of(List.of(twice, endpoint(2), twice));
        assertThat(list.without(twice)).containsExactly(endpoint(2), twice);
        assertThat(list.with(List.of(twice, twice), List.of())).containsExactly(endpoint(2));
    }

    @Test
    void anEndpointRemovedAndAddedBackComesAtTheEnd() {
        List<Endpoint> start = endpoints(0, 3);
        EndpointList list = EndpointList.of(start).without(start.get(0)).withAdded(start.get(0));
        assertThat(list).containsExactly(start.get(1), start.get(2), start.get(0));
    }

    @Test
    void changesSinceFollowsTheDerivationsOldestFirst() {
        List<Endpoint> start = endpoints(0, 100);
        EndpointList first = EndpointList.of(start);
        EndpointList second = first.without(start.get(7));
        EndpointList third = second.withAdded(endpoint(200));

        assertThat(EndpointList.changesSince(first, third)).containsExactly(
                new EndpointList.Change(List.of(start.get(7)), List.of()),
                new EndpointList.Change(List.of(), List.of(endpoint(200))));
        assertThat(EndpointList.changesSince(second, third)).hasSize(1);
        assertThat(EndpointList.changesSince(third, third)).isEmpty();
        assertThat(third.isWorkedOut()).isFalse(); // nothing above read an endpoint
    }

    @Test
    void changesSinceIsNullWhenTheListWasNotDerivedFromTheEarlierOneOrLongAgo() {
        List<Endpoint> start = endpoints(0, 1000);
        EndpointList first = EndpointList.of(start);
        assertThat(EndpointList.changesSince(null, first)).isNull();
        assertThat(EndpointList.changesSince(first, new ArrayList<>(start))).isNull(); // not an EndpointList
        assertThat(EndpointList.changesSince(start, first)).isNull(); // equal, but not the list it came from
        assertThat(EndpointList.changesSince(first, EndpointList.of(start))).isNull();
        assertThat(EndpointList.changesSince(first.withAdded(endpoint(2000)), first)).isNull(); // backwards

        EndpointList far = first;
        for (int i = 0; i < 17; i++) {
            far = far.withAdded(endpoint(2000 + i));
        }
        assertThat(EndpointList.changesSince(first, far)).as("beyond the steps it follows").isNull();
        assertThat(far).hasSize(1017);
    }

    @Test
    void aLongChainIsWorkedOutWhenItsChangesReachHalfTheListSoItHoldsNoMoreThanThat() {
        List<Endpoint> start = endpoints(0, 100);
        EndpointList list = EndpointList.of(start);
        for (int i = 0; i < 24; i++) { // one endpoint replaced per step: two changes
            list = list.with(List.of(start.get(i)), List.of(endpoint(500 + i)));
            assertThat(list.isWorkedOut()).as("after %d changes", 2 * (i + 1)).isFalse();
        }
        list = list.with(List.of(start.get(24)), List.of(endpoint(524))); // 50 changes: half of 100
        assertThat(list.isWorkedOut()).isTrue();
        List<Endpoint> expected = new ArrayList<>(start.subList(25, 100));
        expected.addAll(endpoints(500, 525));
        assertThat(list).isEqualTo(expected);
        EndpointList next = list.withAdded(endpoint(900));
        assertThat(EndpointList.changesSince(list, next)).hasSize(1); // still says what changed
        assertThat(next.isWorkedOut()).isFalse(); // and counts afresh from the worked-out list
    }

    @Test
    void randomChangesWorkOutToWhatAPlainListGives() {
        Random random = new Random(18);
        List<Endpoint> expected = new ArrayList<>(endpoints(0, 300));
        EndpointList list = EndpointList.of(expected);
        int next = 1000;
        for (int step = 0; step < 2000; step++) {
            List<Endpoint> removed = new ArrayList<>();
            for (int r = random.nextInt(3); r > 0 && !expected.isEmpty(); r--) {
                removed.add(expected.remove(random.nextInt(expected.size())));
            }
            List<Endpoint> added = new ArrayList<>();
            for (int a = random.nextInt(3); a > 0; a--) {
                Endpoint endpoint = random.nextInt(10) == 0 && !removed.isEmpty() ? removed.get(0) : endpoint(next++);
                added.add(endpoint);
                expected.add(endpoint);
            }
            list = list.with(removed, added);
            if (random.nextInt(50) == 0) {
                assertThat(list).as("step %d", step).isEqualTo(expected);
            }
        }
        assertThat(list).isEqualTo(expected);
    }

    @Test
    void removingAnEndpointThatIsNotInTheListFailsWithWhatToDo() {
        EndpointList list = EndpointList.of(endpoints(0, 3));
        EndpointList derived = list.without(endpoint(1)); // equal, but not the list's own object
        assertThat(derived.size()).isEqualTo(2); // the size is known without working the list out
        assertThatThrownBy(() -> derived.get(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:1001").hasMessageContaining("remove the very Endpoint objects");
        assertThatThrownBy(() -> list.with(endpoints(0, 4), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Removes 4 endpoints from a list of 3");
    }

    @Test
    void reconcileDerivesFromThePreviousListWhenFewChanged() {
        EndpointList previous = EndpointList.of(endpoints(0, 10));
        List<Endpoint> reread = new ArrayList<>(endpoints(0, 10)); // equal endpoints, new objects
        java.util.Collections.reverse(reread);
        assertThat(EndpointList.reconcile(previous, reread)).as("the same endpoints: nothing to report")
                .isSameAs(previous);

        reread.remove(endpoint(4));
        reread.add(0, endpoint(42));
        EndpointList reconciled = EndpointList.reconcile(previous, reread);
        assertThat(EndpointList.changesSince(previous, reconciled)).containsExactly(
                new EndpointList.Change(List.of(previous.get(4)), List.of(endpoint(42))));
        assertThat(reconciled.get(0)).as("a kept endpoint keeps its object and place").isSameAs(previous.get(0));
        assertThat(reconciled).containsExactlyInAnyOrderElementsOf(reread);

        List<Endpoint> mostlyNew = endpoints(5, 15);
        EndpointList fresh = EndpointList.reconcile(previous, mostlyNew);
        assertThat(EndpointList.changesSince(previous, fresh)).as("half changed: a fresh list").isNull();
        assertThat(fresh).isEqualTo(mostlyNew);
        assertThat(EndpointList.reconcile(null, mostlyNew)).isEqualTo(mostlyNew);
    }

    @Test
    void reconcileCountsAnEndpointListedTwice() {
        Endpoint twice = endpoint(1);
        EndpointList previous = EndpointList.of(List.of(twice, twice, endpoint(2), endpoint(3), endpoint(4)));
        EndpointList reconciled = EndpointList.reconcile(previous, List.of(twice, endpoint(2), endpoint(3), endpoint(4)));
        assertThat(EndpointList.changesSince(previous, reconciled)).containsExactly(
                new EndpointList.Change(List.of(twice), List.of()));
        assertThat(reconciled).containsExactly(twice, endpoint(2), endpoint(3), endpoint(4));
    }

    @Test
    void resultsAndBalancerInputsKeepAnEndpointListAsItIsAndCopyOtherLists() {
        EndpointList list = EndpointList.of(endpoints(0, 3)).withAdded(endpoint(7));
        assertThat(ResolutionResult.of(list).endpoints()).isSameAs(list);
        assertThat(list.isWorkedOut()).isFalse();
        List<Endpoint> mutable = new ArrayList<>(endpoints(0, 3));
        List<Endpoint> copied = ResolutionResult.of(mutable).endpoints();
        mutable.clear();
        assertThat(copied).hasSize(3);
    }
}
