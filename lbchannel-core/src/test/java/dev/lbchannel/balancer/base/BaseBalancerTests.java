package dev.lbchannel.balancer.base;

import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.testing.FakeBalancerHelper;
import dev.lbchannel.testing.FakeSubchannel;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class BaseBalancerTests {

    private static final ConnectivityStateInfo READY = ConnectivityStateInfo.forNonError(ConnectivityState.READY);
    private static final ConnectivityStateInfo CONNECTING = ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING);
    private static final ConnectivityStateInfo IDLE = ConnectivityStateInfo.forNonError(ConnectivityState.IDLE);

    private final FakeBalancerHelper helper = new FakeBalancerHelper();
    private final List<List<Subchannel>> built = new ArrayList<>();
    private final BaseBalancer balancer = new BaseBalancer(helper, ready -> {
        built.add(ready);
        PickResult first = PickResult.withSubchannel(ready.get(0));
        return args -> first;
    });

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(helper.uncaught()).isEmpty();
    }

    private Status accept(List<Endpoint> endpoints) {
        Status[] result = new Status[1];
        helper.serializer().execute(() -> result[0] =
                balancer.acceptResolvedEndpoints(new ResolvedEndpoints(endpoints, null, Attributes.EMPTY)));
        return result[0];
    }

    private FakeSubchannel sub(int i) {
        return helper.subchannels().get(i);
    }

    @Test
    void oneSubchannelPerEndpointConnectedAtOnce() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)));
        assertThat(helper.subchannels()).hasSize(3).allSatisfy(s -> assertThat(s.connectRequests()).isEqualTo(1));
        assertThat(helper.state()).isEqualTo(ConnectivityState.CONNECTING);
        assertThat(helper.pick().subchannel()).isNull();
    }

    @Test
    void subchannelsAreHealthChecked() {
        accept(List.of(endpoint(1), endpoint(2)));
        assertThat(helper.subchannelOptions()).containsOnly(SubchannelOptions.HEALTH_CHECKED);
    }

    @Test
    void unhealthyChildLeavesThePickerWithTheHealthStatusAsItsError() {
        accept(List.of(endpoint(1), endpoint(2)));
        sub(0).report(READY);
        sub(1).report(READY);
        Status unhealthy = Status.UNAVAILABLE.withDescription("Health service answered NOT_SERVING for ''");
        sub(1).report(ConnectivityStateInfo.forTransientFailure(unhealthy));
        assertThat(built).last().isEqualTo(List.of(sub(0)));
        sub(0).report(ConnectivityStateInfo.forTransientFailure(unhealthy));
        assertThat(helper.pick().status().getDescription()).contains("NOT_SERVING");
        sub(1).report(READY);   // A17: TRANSIENT_FAILURE straight to READY
        assertThat(built).last().isEqualTo(List.of(sub(1)));
    }

    @Test
    void anyReadyMakesReadyAndThePickerIsRebuiltOnlyWhenTheReadySetChanges() {
        accept(List.of(endpoint(1), endpoint(2)));
        sub(0).report(READY);
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
        assertThat(built).containsExactly(List.of(sub(0)));
        sub(1).report(CONNECTING);
        assertThat(built).hasSize(1);
        sub(1).report(READY);
        assertThat(built).hasSize(2).last().isEqualTo(List.of(sub(0), sub(1)));
    }

    @Test
    void failedChildCountsAsFailedUntilReadyAgain() {
        accept(List.of(endpoint(1), endpoint(2)));
        Status refused = Status.UNAVAILABLE.withDescription("refused");
        sub(0).report(ConnectivityStateInfo.forTransientFailure(refused));
        sub(1).report(ConnectivityStateInfo.forTransientFailure(refused));
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(helper.refreshes()).isEqualTo(2);
        assertThat(helper.pick().status().getDescription()).contains("last connection error: UNAVAILABLE refused");

        sub(0).report(CONNECTING);   // a reconnect attempt does not hide the failure
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        sub(0).report(READY);
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void idleChildReconnects() {
        accept(List.of(endpoint(1)));
        sub(0).report(READY);
        sub(0).report(IDLE);
        assertThat(sub(0).connectRequests()).isEqualTo(2);
        assertThat(helper.state()).isEqualTo(ConnectivityState.CONNECTING);
    }

    @Test
    void removedEndpointShutsItsSubchannelDownAndKeepsTheOthers() {
        accept(List.of(endpoint(1), endpoint(2)));
        sub(0).report(READY);
        sub(1).report(READY);
        accept(List.of(endpoint(2), endpoint(3)));
        assertThat(sub(0).isShutdown()).isTrue();
        assertThat(sub(1).isShutdown()).isFalse();
        assertThat(helper.subchannels()).hasSize(3);
        assertThat(built).last().isEqualTo(List.of(sub(1)));
    }

    @Test
    void oneChangedEndpointInTenThousandTouchesOneSubchannel() {
        List<Endpoint> endpoints = IntStream.range(0, 10_000).mapToObj(FakeBalancerHelper::endpoint).toList();
        accept(endpoints);
        assertThat(helper.subchannels()).hasSize(10_000);
        List<Endpoint> changed = new ArrayList<>(endpoints);
        changed.set(5_000, endpoint(20_000));
        accept(changed);
        assertThat(helper.subchannels()).hasSize(10_001);
        assertThat(helper.subchannels().stream().filter(FakeSubchannel::isShutdown).count()).isEqualTo(1);
    }

    @Test
    void anUpdateThatLeavesTheReadySetAsItWasBuildsNoPicker() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)));
        sub(0).report(READY);
        sub(1).report(READY);
        int published = helper.states().size();
        accept(List.of(endpoint(1), endpoint(2), endpoint(4)));   // the one replaced was not READY
        accept(List.of(endpoint(1), endpoint(2), endpoint(4)));   // the same again, in new objects
        assertThat(built).hasSize(2);
        assertThat(helper.states()).hasSize(published);
        assertThat(sub(2).isShutdown()).isTrue();
    }

    @Test
    void readyEndpointsTheResolverReordersGetAPickerInTheNewOrder() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)));
        sub(0).report(READY);
        sub(1).report(READY);
        accept(List.of(endpoint(3), endpoint(2), endpoint(1)));
        assertThat(built).last().isEqualTo(List.of(sub(1), sub(0)));
        accept(List.of(endpoint(2), endpoint(1)));   // the one dropped was not READY: same order, no picker
        assertThat(built).hasSize(3);
    }

    @Test
    void stateChangesThatArriveTogetherMakeOnePicker() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(3)));
        helper.serializer().execute(() -> {
            sub(0).report(READY);   // each queued behind this task
            sub(1).report(READY);
            sub(2).report(READY);
        });
        assertThat(built).containsExactly(List.of(sub(0), sub(1), sub(2)));
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void aSubchannelListedTwiceIsOneSubchannelInThePicker() {
        accept(List.of(endpoint(1), endpoint(2), endpoint(1)));
        assertThat(helper.subchannels()).hasSize(2);
        sub(0).report(READY);
        sub(1).report(READY);
        assertThat(built).last().isEqualTo(List.of(sub(0), sub(1)));
    }

    @Test
    void aOneEndpointChangeInAHundredThousandAllocatesNothingPerUnchangedEndpoint() {
        int n = 100_000;
        ResolvedEndpoints all = resolved(distinctEndpoints(n, 0));
        List<Endpoint> changed = new ArrayList<>(distinctEndpoints(n, 0));   // equal endpoints, new objects
        changed.set(n - 1, distinctEndpoints(1, 200).get(0));
        ResolvedEndpoints oneChanged = resolved(changed);
        helper.serializer().execute(() -> balancer.acceptResolvedEndpoints(all));
        helper.serializer().execute(() -> helper.subchannels().forEach(s -> s.report(READY)));   // one picker
        assertThat(built).hasSize(1);

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] allocated = new long[1];
        // Nothing here leans on the JIT: the lookups allocate nothing even interpreted or compiled
        // without escape analysis (a JVM whose profiles other code polluted; -XX:TieredStopAtLevel=1
        // reproduces it). A few pairs first, so that one-off growth (the map, the ordered array) is done.
        for (int round = 0; round < 3; round++) {
            helper.serializer().execute(() -> {
                long before = threads.getCurrentThreadAllocatedBytes();
                balancer.acceptResolvedEndpoints(oneChanged);
                balancer.acceptResolvedEndpoints(all);
                allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
            });
        }

        // Even 8 bytes per endpoint would be 800 KB an update; a new subchannel and its bookkeeping are far less.
        assertThat(allocated[0] / 2).as("bytes allocated per update").isLessThan(16 * 1024);
        assertThat(built).hasSize(2);   // the READY set changed once, as the last endpoint first went
    }

    private static ResolvedEndpoints resolved(List<Endpoint> endpoints) {
        return new ResolvedEndpoints(endpoints, null, Attributes.EMPTY);
    }

    /** {@code count} endpoints on distinct IPv4 addresses from {@code 10.<firstBlock>.0.0}. */
    private static List<Endpoint> distinctEndpoints(int count, int firstBlock) {
        List<Endpoint> endpoints = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] address = {10, (byte) (firstBlock + (i >> 16)), (byte) (i >> 8), (byte) i};
            try {
                endpoints.add(Endpoint.of(new InetSocketAddress(InetAddress.getByAddress(address), 443)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return endpoints;
    }

    @Test
    void emptyResolutionIsRejectedAndResolverErrorsShowInTheFailure() {
        assertThat(accept(List.of()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(helper.pick().status().getDescription()).contains("last resolver error");
    }

    @Test
    void resolverErrorKeepsWorkingSubchannels() {
        accept(List.of(endpoint(1)));
        sub(0).report(READY);
        helper.serializer().execute(() -> balancer.handleResolutionError(Status.UNAVAILABLE.withDescription("dns down")));
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
        assertThat(sub(0).isShutdown()).isFalse();
    }
}
