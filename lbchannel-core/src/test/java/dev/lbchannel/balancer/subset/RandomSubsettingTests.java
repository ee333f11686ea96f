package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.Json;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.testing.FakeBalancerHelper;
import dev.lbchannel.testing.FakeSubchannel;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code random_subsetting} (gRFC A68): the rendezvous subset's size and stability, spread over
 * seeds, the child seeing only the subset, and the config's rules.
 */
@Timeout(10)
class RandomSubsettingTests {

    private final FakeBalancerHelper helper = new FakeBalancerHelper();

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(helper.uncaught()).isEmpty();
    }

    private static List<Endpoint> endpoints(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).mapToObj(FakeBalancerHelper::endpoint).toList();
    }

    @Test
    void theSubsetHasSubsetSizeEndpointsOrAllWhenThereAreFewer() {
        assertThat(RendezvousSubset.select(endpoints(0, 500), 20, 42)).hasSize(20).doesNotHaveDuplicates();
        assertThat(RendezvousSubset.select(endpoints(0, 5), 20, 42)).isEqualTo(endpoints(0, 5));
        assertThat(RendezvousSubset.select(endpoints(0, 20), 20, 42)).isEqualTo(endpoints(0, 20));
    }

    @Test
    void aSelectorReusedAcrossUpdatesChoosesAsTheSortedRankingDoes() {
        RendezvousSubset reused = new RendezvousSubset(42);
        List<Endpoint> reversed = new ArrayList<>(endpoints(0, 120));
        java.util.Collections.reverse(reversed);
        List<Endpoint> duplicated = new ArrayList<>(endpoints(0, 30));
        duplicated.addAll(endpoints(0, 30));
        for (List<Endpoint> update : List.of(endpoints(0, 100), endpoints(0, 101), endpoints(1, 101), reversed,
                endpoints(50, 60), endpoints(0, 200), duplicated)) {
            // An endpoint listed twice is ranked once, at its first place: a subset of distinct backends.
            assertThat(reused.select(update, 10)).isEqualTo(sortedRanking(update.stream().distinct().toList(), 10, 42));
        }
    }

    @Test
    void aDerivedListsChangesAreRankedWithoutReadingTheListAndTheChildGetsOnlyTheSubsetsChange() {
        RendezvousSubset reused = new RendezvousSubset(42);
        java.util.Random random = new java.util.Random(68);
        List<Endpoint> current = new ArrayList<>(endpoints(0, 500));
        EndpointList list = EndpointList.of(current);
        List<Endpoint> subset = reused.select(list, 20);
        int next = 1000;
        for (int step = 0; step < 400; step++) {
            List<Endpoint> removed = new ArrayList<>();
            for (int r = random.nextInt(3); r > 0; r--) {
                removed.add(current.remove(random.nextInt(current.size())));
            }
            List<Endpoint> added = new ArrayList<>();
            for (int a = random.nextInt(3); a > 0; a--) {
                added.add(FakeBalancerHelper.endpoint(next++));
            }
            current.addAll(added);
            list = list.with(removed, added);

            boolean workedOut = list.isWorkedOut(); // a long chain is, now and then, when derived
            List<Endpoint> nextSubset = reused.select(list, 20);

            assertThat(list.isWorkedOut()).as("step %d: the resolver's list was read", step).isEqualTo(workedOut);
            assertThat(nextSubset).as("step %d", step)
                    .containsExactlyInAnyOrderElementsOf(sortedRanking(current, 20, 42));
            assertThat(EndpointList.changesSince(subset, nextSubset)).as("the child can apply only the change")
                    .isNotNull();
            subset = nextSubset;
        }
    }

    /** A68's choice spelled out: rank every endpoint by unsigned hash then position, keep the first {@code size}. */
    private static List<Endpoint> sortedRanking(List<Endpoint> endpoints, int size, long seed) {
        return IntStream.range(0, endpoints.size()).boxed()
                .sorted((a, b) -> {
                    int byHash = Long.compareUnsigned(RendezvousSubset.hash(endpoints.get(a), seed),
                            RendezvousSubset.hash(endpoints.get(b), seed));
                    return byHash != 0 ? byHash : Integer.compare(a, b);
                })
                .limit(size).sorted().map(endpoints::get).toList();
    }

    @Test
    void theSubsetDependsOnTheSetNotItsOrder() {
        List<Endpoint> shuffled = new ArrayList<>(endpoints(0, 100));
        java.util.Collections.reverse(shuffled);
        assertThat(new HashSet<>(RendezvousSubset.select(shuffled, 10, 7)))
                .isEqualTo(new HashSet<>(RendezvousSubset.select(endpoints(0, 100), 10, 7)));
    }

    @Test
    void addingOrRemovingOneEndpointMovesAtMostOneMember() {
        for (long seed = 0; seed < 50; seed++) {
            Set<Endpoint> before = new HashSet<>(RendezvousSubset.select(endpoints(0, 100), 10, seed));
            Set<Endpoint> added = new HashSet<>(RendezvousSubset.select(endpoints(0, 101), 10, seed));
            assertThat(moved(before, added)).as("seed %d, one added", seed).isLessThanOrEqualTo(1);

            List<Endpoint> withoutOne = new ArrayList<>(endpoints(0, 100));
            Endpoint removed = before.iterator().next();
            withoutOne.remove(removed);
            Set<Endpoint> after = new HashSet<>(RendezvousSubset.select(withoutOne, 10, seed));
            assertThat(after).as("seed %d, a member removed", seed).doesNotContain(removed).hasSize(10);
            assertThat(moved(before, after)).isEqualTo(1);

            List<Endpoint> withoutOther = new ArrayList<>(endpoints(0, 100));
            withoutOther.removeIf(e -> !before.contains(e) && e.equals(endpoint(firstOutside(before))));
            assertThat(new HashSet<>(RendezvousSubset.select(withoutOther, 10, seed)))
                    .as("seed %d, a non-member removed", seed).isEqualTo(before);
        }
    }

    private static int firstOutside(Set<Endpoint> subset) {
        return IntStream.range(0, 100).filter(i -> !subset.contains(endpoint(i))).findFirst().orElseThrow();
    }

    private static long moved(Set<Endpoint> before, Set<Endpoint> after) {
        return before.stream().filter(e -> !after.contains(e)).count();
    }

    @Test
    void seedsSpreadClientsEvenlyOverTheBackends() {
        // 1,000 clients, 100 backends, subsets of 10: each backend expects 100 clients.
        int[] clients = new int[100];
        for (long seed = 0; seed < 1000; seed++) {
            for (Endpoint e : RendezvousSubset.select(endpoints(0, 100), 10, seed * 0x9E3779B97F4A7C15L)) {
                clients[endpoints(0, 100).indexOf(e)]++;
            }
        }
        assertThat(IntStream.of(clients).min().orElseThrow()).isGreaterThan(60);
        assertThat(IntStream.of(clients).max().orElseThrow()).isLessThan(140);
    }

    @Test
    void theChildSeesOnlyTheSubsetAndAnUpdateReplacesOnlyWhatMoved() {
        Balancer balancer = accept(null, endpoints(0, 500), 20);
        assertThat(helper.subchannels()).hasSize(20);
        Set<Endpoint> subset = endpointsOf(helper.subchannels());
        assertThat(subset).isEqualTo(new HashSet<>(RendezvousSubset.select(endpoints(0, 500), 20, 1)));
        helper.subchannels().forEach(s -> s.report(ConnectivityStateInfo.forNonError(ConnectivityState.READY)));
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
        for (int i = 0; i < 40; i++) {
            assertThat(subset).contains(helper.pick().subchannel().endpoint());
        }

        Endpoint gone = subset.iterator().next();
        List<Endpoint> next = new ArrayList<>(endpoints(0, 500));
        next.remove(gone);
        accept(balancer, next, 20);
        assertThat(helper.subchannels()).hasSize(21); // one new one
        assertThat(helper.subchannels().stream().filter(FakeSubchannel::isShutdown).map(FakeSubchannel::endpoint))
                .containsExactly(gone);
    }

    @Test
    void eachBalancerDrawsItsOwnSeed() {
        long[] next = {100};
        RandomSubsettingBalancerProvider provider = new RandomSubsettingBalancerProvider("random_subsetting",
                () -> next[0]++);
        Object config = provider.parseConfig(Json.parseObject(
                "{\"subsetSize\": 5, \"childPolicy\": [{\"round_robin\": {}}]}"));
        FakeBalancerHelper other = new FakeBalancerHelper();
        for (FakeBalancerHelper h : List.of(helper, other)) {
            h.serializer().execute(() -> provider.newBalancer(h).acceptResolvedEndpoints(
                    new ResolvedEndpoints(endpoints(0, 100), config, Attributes.EMPTY)));
        }
        assertThat(endpointsOf(helper.subchannels())).isNotEqualTo(endpointsOf(other.subchannels()));
    }

    private Balancer accept(Balancer existing, List<Endpoint> endpoints, int subsetSize) {
        RandomSubsettingBalancerProvider provider = new RandomSubsettingBalancerProvider("random_subsetting", () -> 1);
        Object config = provider.parseConfig(Json.parseObject(
                "{\"subsetSize\": " + subsetSize + ", \"childPolicy\": [{\"round_robin\": {}}]}"));
        Balancer[] balancer = {existing};
        helper.serializer().execute(() -> {
            if (balancer[0] == null) {
                balancer[0] = provider.newBalancer(helper);
            }
            balancer[0].acceptResolvedEndpoints(new ResolvedEndpoints(endpoints, config, Attributes.EMPTY));
        });
        return balancer[0];
    }

    private static Set<Endpoint> endpointsOf(List<FakeSubchannel> subchannels) {
        Set<Endpoint> endpoints = new HashSet<>();
        subchannels.forEach(s -> endpoints.add(s.endpoint()));
        return endpoints;
    }

    @Test
    void theConfigNamesWhatIsWrong() {
        RandomSubsettingBalancerProvider provider = new RandomSubsettingBalancerProvider();
        assertThat(provider.parseConfig(Json.parseObject("{\"subsetSize\": \"3\", \"childPolicy\": [{\"pick_first\": {}}]}")))
                .isInstanceOfSatisfying(RandomSubsettingConfig.class, c -> {
                    assertThat(c.subsetSize()).isEqualTo(3);
                    assertThat(c.childPolicy().policyName()).isEqualTo("pick_first");
                });
        assertThatThrownBy(() -> provider.parseConfig(Json.parseObject("{\"childPolicy\": [{\"round_robin\": {}}]}")))
                .isInstanceOf(InvalidServiceConfigException.class).hasMessageContaining("subsetSize is required");
        assertThatThrownBy(() -> provider.parseConfig(Json.parseObject("{\"subsetSize\": 0, \"childPolicy\": []}")))
                .hasMessageContaining("subsetSize must be greater than 0, was 0");
        assertThatThrownBy(() -> provider.parseConfig(Json.parseObject("{\"subsetSize\": 2.5}")))
                .hasMessageContaining("subsetSize must be a whole number from 0 to 4294967295 (a uint32), was 2.5");
        assertThatThrownBy(() -> provider.parseConfig(Json.parseObject("{\"subsetSize\": 2}")))
                .hasMessageContaining("childPolicy is required");
        assertThat(BalancerRegistry.builtIns().policyNames())
                .contains("random_subsetting", "random_subsetting_experimental");
    }
}
