package dev.lbchannel.balancer.pickfirst;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Serializer;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelStateListener;
import dev.lbchannel.resolver.Endpoint;
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

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class PickFirstBalancerTests {

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final Serializer serializer = new Serializer((t, e) -> uncaught.add(e));
    private final RecordingHelper helper = new RecordingHelper();
    private final Balancer balancer = new PickFirstBalancerProvider().newBalancer(helper);

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(uncaught).isEmpty();
    }

    @Test
    void oneSubchannelOverAllAddressesInOrderConnectsAtOnce() {
        accept(endpoint(1), endpoint(2, 3));
        assertThat(helper.subchannels).singleElement().satisfies(s -> {
            assertThat(s.endpoint.addresses()).containsExactly(address(1), address(2), address(3));
            assertThat(s.connectRequests).isEqualTo(1);
        });
        assertThat(helper.state).isEqualTo(ConnectivityState.CONNECTING);
        assertThat(pick().subchannel()).isNull();
    }

    @Test
    void readySubchannelTakesEveryPick() {
        accept(endpoint(1));
        FakeSubchannel subchannel = helper.subchannels.get(0);
        report(subchannel, ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        assertThat(helper.state).isEqualTo(ConnectivityState.READY);
        assertThat(pick().subchannel()).isSameAs(subchannel);
    }

    @Test
    void failureIsStickyUntilReadyAndAsksForReResolution() {
        accept(endpoint(1));
        FakeSubchannel subchannel = helper.subchannels.get(0);
        Status refused = Status.UNAVAILABLE.withDescription("connection refused");
        report(subchannel, ConnectivityStateInfo.forTransientFailure(refused));
        assertThat(helper.state).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(pick().status()).isEqualTo(refused);
        assertThat(helper.refreshes).isEqualTo(1);

        report(subchannel, ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING));
        assertThat(helper.state).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);

        report(subchannel, ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        assertThat(helper.state).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void lostConnectionGoesIdleReResolvesAndReconnectsOnPick() {
        accept(endpoint(1));
        FakeSubchannel subchannel = helper.subchannels.get(0);
        report(subchannel, ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        report(subchannel, ConnectivityStateInfo.forNonError(ConnectivityState.IDLE));
        assertThat(helper.state).isEqualTo(ConnectivityState.IDLE);
        assertThat(helper.refreshes).isEqualTo(1);
        assertThat(pick().subchannel()).isNull();
        assertThat(subchannel.connectRequests).isEqualTo(2);
    }

    @Test
    void emptyResolutionIsRejectedAndNewAddressesUpdateTheSubchannel() {
        Status[] accepted = new Status[1];
        serializer.execute(() -> accepted[0] = balancer.acceptResolvedEndpoints(
                new ResolvedEndpoints(List.of(), null, Attributes.EMPTY)));
        assertThat(accepted[0].getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(helper.state).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);

        accept(endpoint(1));
        accept(endpoint(4));
        assertThat(helper.subchannels).singleElement()
                .satisfies(s -> assertThat(s.endpoint.addresses()).containsExactly(address(4)));
    }

    @Test
    void resolverErrorKeepsAWorkingSubchannel() {
        accept(endpoint(1));
        report(helper.subchannels.get(0), ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        serializer.execute(() -> balancer.handleResolutionError(Status.UNAVAILABLE));
        assertThat(helper.state).isEqualTo(ConnectivityState.READY);
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
        serializer.execute(balancer::shutdown);
        assertThat(helper.subchannels.get(0).shutdown).isTrue();
    }

    private void accept(Endpoint... endpoints) {
        serializer.execute(() -> assertThat(balancer.acceptResolvedEndpoints(
                new ResolvedEndpoints(List.of(endpoints), null, Attributes.EMPTY)).isOk()).isTrue());
    }

    private void report(FakeSubchannel subchannel, ConnectivityStateInfo info) {
        serializer.execute(() -> subchannel.listener.onStateChange(info));
    }

    private PickResult pick() {
        PickResult[] result = new PickResult[1];
        serializer.execute(() -> result[0] = helper.picker.pick(new Args()));
        return result[0];
    }

    private static InetSocketAddress address(int n) {
        return new InetSocketAddress("127.0.0." + n, 1000 + n);
    }

    private static Endpoint endpoint(int... ns) {
        List<java.net.SocketAddress> addresses = new ArrayList<>();
        for (int n : ns) {
            addresses.add(address(n));
        }
        return new Endpoint(addresses, Attributes.EMPTY);
    }

    private static final class Args implements PickArgs {
        @Override
        public MethodDescriptor<?, ?> method() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Metadata headers() {
            return new Metadata();
        }

        @Override
        public CallOptions callOptions() {
            return CallOptions.DEFAULT;
        }
    }

    private final class RecordingHelper implements BalancerHelper {
        final List<FakeSubchannel> subchannels = new ArrayList<>();
        ConnectivityState state;
        Picker picker;
        int refreshes;

        @Override
        public Subchannel createSubchannel(Endpoint endpoint) {
            serializer.assertInContext();
            FakeSubchannel subchannel = new FakeSubchannel(endpoint);
            subchannels.add(subchannel);
            return subchannel;
        }

        @Override
        public void updateState(ConnectivityState newState, Picker newPicker) {
            serializer.assertInContext();
            state = newState;
            picker = newPicker;
        }

        @Override
        public void refreshNameResolution() {
            refreshes++;
        }

        @Override
        public String authority() {
            return "test";
        }

        @Override
        public Serializer serializer() {
            return serializer;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            throw new UnsupportedOperationException("pick_first needs no timers");
        }
    }

    private static final class FakeSubchannel implements Subchannel {
        Endpoint endpoint;
        SubchannelStateListener listener;
        int connectRequests;
        boolean shutdown;

        FakeSubchannel(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public void start(SubchannelStateListener stateListener) {
            listener = stateListener;
        }

        @Override
        public void requestConnection() {
            connectRequests++;
        }

        @Override
        public void updateEndpoint(Endpoint newEndpoint) {
            endpoint = newEndpoint;
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }
    }
}
