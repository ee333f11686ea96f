package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.testing.FakeBalancerHelper;
import dev.lbchannel.testing.FakeSubchannel;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ring_hash} on fake subchannels: lazy connections, A61's walk past failed endpoints,
 * A42's aggregate states and proactive connection, and the call's hash from the call option, the
 * header (A76) or a scripted random source.
 */
@Timeout(10)
class RingHashBalancerTests {

    private static final ConnectivityStateInfo READY = ConnectivityStateInfo.forNonError(ConnectivityState.READY);
    private static final ConnectivityStateInfo CONNECTING = ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING);
    private static final ConnectivityStateInfo IDLE = ConnectivityStateInfo.forNonError(ConnectivityState.IDLE);
    private static final Status REFUSED = Status.UNAVAILABLE.withDescription("refused");
    private static final ConnectivityStateInfo FAILED = ConnectivityStateInfo.forTransientFailure(REFUSED);
    private static final Metadata.Key<String> USER = Metadata.Key.of("x-user", Metadata.ASCII_STRING_MARSHALLER);

    private final FakeBalancerHelper helper = new FakeBalancerHelper();
    private final Deque<Long> randoms = new ArrayDeque<>();
    private final RingHashBalancerProvider provider = new RingHashBalancerProvider("ring_hash", 4096,
            () -> randoms.removeFirst());
    private final Balancer balancer = newBalancer();
    private Ring ring;

    private Balancer newBalancer() {
        Balancer[] created = new Balancer[1];
        helper.serializer().execute(() -> created[0] = provider.newBalancer(helper));
        return created[0];
    }

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(helper.uncaught()).isEmpty();
        assertThat(randoms).as("random hashes left over").isEmpty();
    }

    /** Three endpoints on a small ring (the test computes the same ring to know who owns what). */
    private void accept(List<Endpoint> endpoints, RingHashConfig config) {
        helper.serializer().execute(() ->
                balancer.acceptResolvedEndpoints(new ResolvedEndpoints(endpoints, config, Attributes.EMPTY)));
        ring = Ring.build(endpoints.stream().distinct()
                .map(e -> new Ring.Member(SocketAddresses.text(e.addresses().get(0)),
                        endpoints.stream().filter(e::equals).count()))
                .toList(), config.minRingSize(), config.maxRingSize());
    }

    private void threeEndpoints() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)), new RingHashConfig(30, 30, "x-user"));
    }

    private FakeSubchannel sub(int i) {
        return helper.subchannels().get(i);
    }

    /** A key whose hash lands on an entry of endpoint {@code owner}, the entry after it being another's. */
    private String keyOwnedBy(int owner, int nextOwner) {
        for (int k = 0; ; k++) {
            String key = "key-" + k;
            int entry = ring.entryFor(RingHash.hashOf(key));
            int next = (entry + 1) % ring.size();
            if (ring.owner(entry) == owner && ring.owner(next) == nextOwner) {
                return key;
            }
        }
    }

    private PickResult pickWithOption(String key) {
        return helper.pick(new Args(CallOptions.DEFAULT.withOption(RingHash.HASH_KEY, RingHash.hashOf(key)),
                new Metadata()));
    }

    private PickResult pickWithHeader(String... values) {
        Metadata headers = new Metadata();
        for (String value : values) {
            headers.put(USER, value);
        }
        return helper.pick(new Args(CallOptions.DEFAULT, headers));
    }

    @Test
    void subchannelsAreHealthCheckedAndNotConnectedUntilAPickNeedsOne() {
        threeEndpoints();
        assertThat(helper.subchannelOptions()).containsOnly(SubchannelOptions.HEALTH_CHECKED);
        assertThat(helper.subchannels()).allSatisfy(s -> assertThat(s.connectRequests()).isZero());
        assertThat(helper.state()).isEqualTo(ConnectivityState.IDLE);
    }

    @Test
    void aPickOnAnIdleEndpointConnectsItAndWaitsThenGoesThere() {
        threeEndpoints();
        String key = keyOwnedBy(1, 2);
        assertThat(pickWithOption(key).subchannel()).isNull();
        assertThat(sub(1).connectRequests()).isEqualTo(1);
        assertThat(sub(0).connectRequests() + sub(2).connectRequests()).isZero();

        sub(1).report(CONNECTING);
        assertThat(helper.state()).isEqualTo(ConnectivityState.CONNECTING);
        assertThat(pickWithOption(key).subchannel()).isNull();
        assertThat(sub(1).connectRequests()).isEqualTo(1);

        sub(1).report(READY);
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
        assertThat(pickWithOption(key).subchannel()).isSameAs(sub(1));
        assertThat(pickWithOption(key)).isSameAs(pickWithOption(key)); // one result, made once
    }

    @Test
    void aFailedEndpointIsPassedOverForTheNextOnTheRing() {
        threeEndpoints();
        String key = keyOwnedBy(0, 2);
        sub(0).report(FAILED);
        sub(2).report(READY);
        assertThat(pickWithOption(key).subchannel()).isSameAs(sub(2));
        sub(0).report(CONNECTING); // reconnecting after backoff: still failed until READY (A42)
        assertThat(pickWithOption(key).subchannel()).isSameAs(sub(2));
        sub(0).report(READY);
        assertThat(pickWithOption(key).subchannel()).isSameAs(sub(0));
    }

    @Test
    void pastAFailedEndpointAnIdleOneIsConnectedAndTheCallWaits() {
        threeEndpoints();
        String key = keyOwnedBy(0, 2);
        sub(0).report(FAILED);
        int before = sub(2).connectRequests();
        assertThat(pickWithOption(key).subchannel()).isNull();
        assertThat(sub(2).connectRequests()).isEqualTo(before + 1);
    }

    @Test
    void whenEveryEndpointFailedThePickFailsWithTheFirstOnesError() {
        threeEndpoints();
        String key = keyOwnedBy(2, 0);
        sub(0).report(FAILED);
        sub(1).report(FAILED);
        sub(2).report(ConnectivityStateInfo.forTransientFailure(Status.UNAVAILABLE.withDescription("third down")));
        PickResult result = pickWithOption(key);
        assertThat(result.subchannel()).isNull();
        assertThat(result.status().getDescription()).isEqualTo("third down");
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    }

    @Test
    void aLostConnectionCountsAsIdleAndTheNextPickReconnects() {
        threeEndpoints();
        String key = keyOwnedBy(1, 2);
        pickWithOption(key);
        sub(1).report(CONNECTING);
        sub(1).report(READY);
        sub(1).report(IDLE);
        assertThat(helper.state()).isEqualTo(ConnectivityState.IDLE);
        assertThat(pickWithOption(key).subchannel()).isNull();
        assertThat(sub(1).connectRequests()).isEqualTo(2);
    }

    @Test
    void aggregateStatesFollowA42AndAFailureConnectsAnIdleEndpoint() {
        threeEndpoints();
        assertThat(helper.state()).isEqualTo(ConnectivityState.IDLE);
        sub(0).report(FAILED);
        // one failed of three: CONNECTING, and with none connecting one IDLE endpoint is connected (A61)
        assertThat(helper.state()).isEqualTo(ConnectivityState.CONNECTING);
        assertThat(sub(1).connectRequests() + sub(2).connectRequests()).isEqualTo(1);
        sub(1).report(CONNECTING);
        sub(1).report(FAILED);
        // two failed: TRANSIENT_FAILURE, and the last IDLE one is tried
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(sub(2).connectRequests()).isEqualTo(1);
        sub(2).report(CONNECTING);
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        sub(2).report(READY);
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void aSingleFailedEndpointIsTransientFailure() {
        accept(List.of(endpoint(1)), RingHashConfig.DEFAULT);
        sub(0).report(FAILED);
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    }

    @Test
    void aFailedEndpointThatGoesIdleKeepsTrying() {
        threeEndpoints();
        sub(0).report(FAILED);
        int before = sub(0).connectRequests();
        sub(0).report(IDLE);
        assertThat(sub(0).connectRequests()).isEqualTo(before + 1);
    }

    @Test
    void theHeaderValueIsTheHashKey() {
        threeEndpoints();
        String key = keyOwnedBy(2, 0);
        helper.subchannels().forEach(s -> s.report(READY));
        assertThat(pickWithHeader(key).subchannel()).isSameAs(sub(2));
        assertThat(pickWithHeader(key).subchannel()).isSameAs(sub(2));
    }

    @Test
    void aHeaderWithSeveralValuesIsHashedJoinedWithCommas() {
        threeEndpoints();
        helper.subchannels().forEach(s -> s.report(READY));
        for (int k = 0; k < 20; k++) {
            String joined = "a" + k + ",b" + k;
            int owner = ring.owner(ring.entryFor(RingHash.hashOf(joined)));
            assertThat(pickWithHeader("a" + k, "b" + k).subchannel()).isSameAs(sub(owner));
        }
    }

    @Test
    void theCallOptionTakesPrecedenceOverTheHeader() {
        threeEndpoints();
        helper.subchannels().forEach(s -> s.report(READY));
        String byOption = keyOwnedBy(0, 1);
        String byHeader = keyOwnedBy(1, 2);
        Metadata headers = new Metadata();
        headers.put(USER, byHeader);
        PickResult result = helper.pick(new Args(
                CallOptions.DEFAULT.withOption(RingHash.HASH_KEY, RingHash.hashOf(byOption)), headers));
        assertThat(result.subchannel()).isSameAs(sub(0));
    }

    @Test
    void withoutOptionOrHeaderARandomHashTakesTheFirstReadyEndpointFromThere() {
        threeEndpoints();
        sub(2).report(READY);
        String key = keyOwnedBy(0, 1);
        randoms.add(RingHash.hashOf(key));
        // past IDLE 0 and 1 to READY 2, connecting the first IDLE one on the way (A76), and only it
        assertThat(pickWithHeader().subchannel()).isSameAs(sub(2));
        assertThat(sub(0).connectRequests()).isEqualTo(1);
        assertThat(sub(1).connectRequests()).isZero();
    }

    @Test
    void aRandomHashWithNothingReadyConnectsOneIdleEndpointAndWaits() {
        threeEndpoints();
        randoms.add(RingHash.hashOf(keyOwnedBy(1, 2)));
        assertThat(pickWithHeader().subchannel()).isNull();
        assertThat(sub(1).connectRequests()).isEqualTo(1);
        assertThat(sub(0).connectRequests() + sub(2).connectRequests()).isZero();
        sub(1).report(CONNECTING);
        randoms.add(RingHash.hashOf(keyOwnedBy(0, 1)));
        assertThat(pickWithHeader().subchannel()).isNull();
        assertThat(sub(0).connectRequests()).as("none while one connects").isZero();
    }

    @Test
    void anEmptyHeaderValueCountsAsNoHeader() {
        threeEndpoints();
        sub(0).report(READY);
        randoms.add(RingHash.hashOf(keyOwnedBy(1, 2)));
        assertThat(pickWithHeader("").subchannel()).isSameAs(sub(0));
    }

    @Test
    void aDuplicateEndpointHasDoubleWeightAndOneSubchannel() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(1)), RingHashConfig.DEFAULT);
        assertThat(helper.subchannels()).hasSize(2);
        assertThat(helper.gauge(sub(0), "ringEntries")).isEqualTo(684);
        assertThat(helper.gauge(sub(1), "ringEntries")).isEqualTo(342);
    }

    @Test
    void channelzShowsEachEndpointsEntriesAndAnUpdateRebuildsTheRing() {
        threeEndpoints();
        assertThat(helper.gauge(sub(0), "ringEntries")).isEqualTo(10);
        accept(List.of(endpoint(1), endpoint(2)), new RingHashConfig(30, 30, null));
        assertThat(sub(2).isShutdown()).isTrue();
        assertThat(helper.gauge(sub(0), "ringEntries")).isEqualTo(15);
    }

    @Test
    void anUpdateThatChangesNoMemberKeepsTheRingAndPublishesNothing() {
        threeEndpoints();
        Picker before = helper.picker();
        int published = helper.states().size();
        threeEndpoints();   // equal endpoints in new objects, the same config
        assertThat(helper.states()).hasSize(published);
        assertThat(helper.picker()).isSameAs(before);

        accept(List.of(endpoint(1), endpoint(2), endpoint(3)), new RingHashConfig(30, 30, "x-other"));
        assertThat(helper.states()).hasSize(published + 1);   // a new header: a new picker, the same ring
        accept(List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(2)), new RingHashConfig(30, 30, "x-other"));
        assertThat(helper.gauge(sub(1), "ringEntries")).isEqualTo(15);   // a new weight: a new ring
        assertThat(helper.subchannels()).hasSize(3);
    }

    @Test
    void theChannelLeavingIdleConnectsOneEndpoint() {
        threeEndpoints();
        helper.serializer().execute(balancer::requestConnection);
        assertThat(helper.subchannels().stream().mapToInt(FakeSubchannel::connectRequests).sum()).isEqualTo(1);
        sub(0).report(CONNECTING);
        helper.serializer().execute(balancer::requestConnection);
        assertThat(helper.subchannels().stream().mapToInt(FakeSubchannel::connectRequests).sum()).isEqualTo(1);
    }

    @Test
    void anEmptyResolutionIsRejected() {
        helper.serializer().execute(() -> assertThat(balancer.acceptResolvedEndpoints(
                new ResolvedEndpoints(List.of(), null, Attributes.EMPTY)).getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    }

    /** One call's arguments. */
    private record Args(CallOptions callOptions, Metadata headers) implements PickArgs {
        @Override
        public MethodDescriptor<?, ?> method() {
            throw new UnsupportedOperationException("ring_hash never looks at the method");
        }
    }
}
