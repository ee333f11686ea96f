package dev.lbchannel.balancer.pickfirst;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.ResolvedEndpoints;
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

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class PickFirstBalancerTests {

    private final FakeBalancerHelper helper = new FakeBalancerHelper();
    private final Balancer balancer = new PickFirstBalancerProvider().newBalancer(helper);

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(helper.uncaught()).isEmpty();
    }

    @Test
    void oneSubchannelOverAllAddressesInOrderConnectsAtOnce() {
        accept(endpoint(1), twoAddresses(2, 3));
        assertThat(helper.subchannels()).singleElement().satisfies(s -> {
            assertThat(s.endpoint().addresses()).containsExactly(address(1), address(2), address(3));
            assertThat(s.connectRequests()).isEqualTo(1);
        });
        assertThat(helper.state()).isEqualTo(ConnectivityState.CONNECTING);
        assertThat(helper.pick().subchannel()).isNull();
    }

    @Test
    void subchannelIsNotHealthCheckedAsInGrpc() {
        accept(endpoint(1));
        assertThat(helper.subchannelOptions()).containsExactly(SubchannelOptions.DEFAULT);
    }

    @Test
    void readySubchannelTakesEveryPick() {
        accept(endpoint(1));
        FakeSubchannel subchannel = helper.subchannels().get(0);
        subchannel.report(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
        assertThat(helper.pick().subchannel()).isSameAs(subchannel);
    }

    @Test
    void failureIsStickyUntilReadyAndAsksForReResolution() {
        accept(endpoint(1));
        FakeSubchannel subchannel = helper.subchannels().get(0);
        Status refused = Status.UNAVAILABLE.withDescription("connection refused");
        subchannel.report(ConnectivityStateInfo.forTransientFailure(refused));
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(helper.pick().status()).isEqualTo(refused);
        assertThat(helper.refreshes()).isEqualTo(1);

        subchannel.report(ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING));
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);

        subchannel.report(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void lostConnectionGoesIdleReResolvesAndReconnectsOnPick() {
        accept(endpoint(1));
        FakeSubchannel subchannel = helper.subchannels().get(0);
        subchannel.report(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        subchannel.report(ConnectivityStateInfo.forNonError(ConnectivityState.IDLE));
        assertThat(helper.state()).isEqualTo(ConnectivityState.IDLE);
        assertThat(helper.refreshes()).isEqualTo(1);
        assertThat(helper.pick().subchannel()).isNull();
        assertThat(subchannel.connectRequests()).isEqualTo(2);
    }

    @Test
    void emptyResolutionIsRejectedAndNewAddressesUpdateTheSubchannel() {
        Status[] accepted = new Status[1];
        helper.serializer().execute(() -> accepted[0] = balancer.acceptResolvedEndpoints(
                new ResolvedEndpoints(List.of(), null, Attributes.EMPTY)));
        assertThat(accepted[0].getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(helper.state()).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);

        accept(endpoint(1));
        accept(endpoint(4));
        assertThat(helper.subchannels()).singleElement()
                .satisfies(s -> assertThat(s.endpoint().addresses()).containsExactly(address(4)));
    }

    @Test
    void addressUpdateWhileConnectingGoesToTheSubchannelAndChangesNoState() {
        accept(endpoint(1));
        FakeSubchannel subchannel = helper.subchannels().get(0);

        accept(endpoint(2), endpoint(3));

        assertThat(helper.subchannels()).containsExactly(subchannel);
        assertThat(subchannel.endpoint().addresses()).containsExactly(address(2), address(3));
        assertThat(subchannel.connectRequests()).isEqualTo(1);
        assertThat(helper.states()).containsExactly(ConnectivityState.CONNECTING);
        assertThat(helper.refreshes()).isZero();
    }

    @Test
    void resolverErrorKeepsAWorkingSubchannel() {
        accept(endpoint(1));
        helper.subchannels().get(0).report(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        helper.serializer().execute(() -> balancer.handleResolutionError(Status.UNAVAILABLE));
        assertThat(helper.state()).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void configRejectsANonBooleanShuffle() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PickFirstBalancerProvider().parseConfig(Map.of("shuffleAddressList", "yes")))
                .withMessageContaining("shuffleAddressList");
        assertThat(new PickFirstBalancerProvider().parseConfig(Map.of("shuffleAddressList", true)))
                .isEqualTo(new PickFirstConfig(true));
    }

    @Test
    void shutdownShutsTheSubchannelDown() {
        accept(endpoint(1));
        helper.serializer().execute(balancer::shutdown);
        assertThat(helper.subchannels().get(0).isShutdown()).isTrue();
    }

    private void accept(Endpoint... endpoints) {
        helper.serializer().execute(() -> assertThat(balancer.acceptResolvedEndpoints(
                new ResolvedEndpoints(List.of(endpoints), null, Attributes.EMPTY)).isOk()).isTrue());
    }

    private static SocketAddress address(int n) {
        return endpoint(n).addresses().get(0);
    }

    private static Endpoint twoAddresses(int a, int b) {
        List<SocketAddress> addresses = new ArrayList<>(List.of(address(a), address(b)));
        return new Endpoint(addresses, Attributes.EMPTY);
    }
}
