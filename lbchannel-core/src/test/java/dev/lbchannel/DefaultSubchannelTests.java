package dev.lbchannel;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.channelz.ConnectionCounter;
import dev.lbchannel.channelz.ConnectionStats;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAddresses;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.testing.FakeScheduler;
import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.ClientTransportFactory;
import dev.lbchannel.transport.SocketStats;
import dev.lbchannel.transport.TransportListener;
import dev.lbchannel.transport.TransportOptions;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The subchannel's state machine and backoff, on a real serializer and a fake clock. */
@Timeout(10)
class DefaultSubchannelTests {

    private static final SocketAddress A = new InetSocketAddress("127.0.0.1", 1001);
    private static final SocketAddress B = new InetSocketAddress("127.0.0.1", 1002);
    private static final SocketAddress C = new InetSocketAddress("127.0.0.1", 1003);
    private static final SocketAddress D = new InetSocketAddress("127.0.0.1", 1004);

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final Serializer serializer = new Serializer((t, e) -> uncaught.add(e));
    private final FakeScheduler clock = new FakeScheduler();
    private final FakeTransports transports = new FakeTransports();
    private final List<ConnectivityState> states = new ArrayList<>();
    private final List<DefaultSubchannel> terminated = new ArrayList<>();
    private final InUseAggregator inUse = new InUseAggregator(() -> { });
    private final ConnectionCounter channelConnections = new ConnectionCounter();
    private final DefaultSubchannel subchannel = new DefaultSubchannel(
            new Endpoint(List.of(A, B), Attributes.EMPTY), new ConnectionAuthority("authority", false),
            new SubchannelContext(serializer, clock, transports, BackoffPolicy.DEFAULT, inUse, terminated::add,
                    channelConnections), SubchannelOptions.DEFAULT, null);

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(uncaught).isEmpty();
    }

    private void start() {
        serializer.execute(() -> {
            subchannel.start(info -> states.add(info.getState()));
            subchannel.requestConnection();
        });
    }

    @Test
    void triesAddressesInOrderThenBacksOffInTransientFailure() {
        start();
        assertThat(states).containsExactly(ConnectivityState.CONNECTING);
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A);
        assertThat(transports.created.get(0).connectTimeoutNanos).isEqualTo(TimeUnit.SECONDS.toNanos(20));

        transports.created.get(0).fail();
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A, B);
        transports.created.get(1).fail();
        assertThat(states).containsExactly(ConnectivityState.CONNECTING, ConnectivityState.TRANSIENT_FAILURE);
        assertThat(clock.pendingDelaysNanos()).singleElement()
                .satisfies(d -> assertThat(d).isBetween(800_000_000L, 1_200_000_000L));

        clock.forward(1200, TimeUnit.MILLISECONDS);
        assertThat(states).endsWith(ConnectivityState.CONNECTING);
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A, B, A);
        transports.created.get(2).fail();
        transports.created.get(3).fail();
        assertThat(clock.pendingDelaysNanos()).singleElement()
                .satisfies(d -> assertThat(d).isBetween(1_280_000_000L, 1_920_000_000L));
    }

    @Test
    void readyResetsBackoffAndLostConnectionGoesIdle() {
        start();
        transports.created.get(0).fail();
        transports.created.get(1).fail();
        clock.forward(2, TimeUnit.SECONDS);
        transports.created.get(2).ready();
        assertThat(states).endsWith(ConnectivityState.READY);
        assertThat(subchannel.readyTransport()).isSameAs(transports.created.get(2));

        transports.created.get(2).fail();
        assertThat(states).endsWith(ConnectivityState.IDLE);
        assertThat(subchannel.readyTransport()).isNull();

        serializer.execute(subchannel::requestConnection);
        transports.created.get(3).fail();
        transports.created.get(4).fail();
        assertThat(clock.pendingDelaysNanos()).singleElement()
                .satisfies(d -> assertThat(d).isBetween(800_000_000L, 1_200_000_000L));
    }

    @Test
    void resetBackoffConnectsAtOnce() {
        start();
        transports.created.get(0).fail();
        transports.created.get(1).fail();
        serializer.execute(subchannel::resetBackoff);
        assertThat(transports.created).hasSize(3);
        assertThat(states).endsWith(ConnectivityState.CONNECTING);
    }

    @Test
    void shutdownDrainsConnectionsBeforeTerminating() {
        start();
        FakeTransport transport = transports.created.get(0);
        transport.ready();
        serializer.execute(subchannel::shutdown);
        assertThat(transport.shutdownReason).isNotNull();
        assertThat(subchannel.readyTransport()).isNull();
        assertThat(terminated).isEmpty();
        assertThat(states).doesNotContain(ConnectivityState.SHUTDOWN);

        transport.terminate();
        assertThat(terminated).containsExactly(subchannel);
    }

    @Test
    void countsConnectionAttemptsAndDisconnectionsForItselfAndItsChannel() {
        start();
        transports.created.get(0).fail();
        transports.created.get(1).ready();
        transports.created.get(1).fail();
        serializer.execute(subchannel::requestConnection);
        transports.created.get(2).fail();
        transports.created.get(3).fail();

        ConnectionStats expected = new ConnectionStats(1, 3, 1);
        assertThat(subchannel.snapshot().connections()).isEqualTo(expected);
        assertThat(channelConnections.snapshot()).isEqualTo(expected);
    }

    @Test
    void snapshotShowsAddressesStateAndTrace() {
        start();
        transports.created.get(0).ready();
        var snapshot = subchannel.snapshot();
        assertThat(snapshot.addresses()).containsExactly("127.0.0.1:1001", "127.0.0.1:1002");
        assertThat(snapshot.state()).isEqualTo(ConnectivityState.READY);
        assertThat(snapshot.trace()).extracting(e -> e.description()).contains("Entering READY");
    }

    @Test
    void addressUpdateWhileConnectingRestartsOnTheNewListWithoutAFailure() {
        start();
        FakeTransport abandoned = transports.created.get(0);

        update(C, D);

        assertThat(abandoned.shutdownReason).isNotNull();
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A, C);
        assertThat(states).containsExactly(ConnectivityState.CONNECTING);
        assertThat(clock.pendingDelaysNanos()).isEmpty();

        abandoned.fail(); // its shutdown reaches the serializer after the update: no failure
        assertThat(transports.created).hasSize(2);
        transports.created.get(1).fail();
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A, C, D);
        assertThat(states).containsExactly(ConnectivityState.CONNECTING);
        assertThat(subchannel.snapshot().connections().attemptsFailed()).isEqualTo(1);

        transports.created.get(2).ready();
        assertThat(states).containsExactly(ConnectivityState.CONNECTING, ConnectivityState.READY);
        assertThat(subchannel.readyTransport()).isSameAs(transports.created.get(2));
    }

    @Test
    void abandonedAttemptThatConnectsLateIsClosedAndIgnored() {
        start();
        FakeTransport abandoned = transports.created.get(0);
        update(C);
        abandoned.shutdownReason = null;

        abandoned.ready();

        assertThat(abandoned.shutdownReason).isNotNull();
        assertThat(subchannel.readyTransport()).isNull();
        assertThat(states).containsExactly(ConnectivityState.CONNECTING);
    }

    @Test
    void addressUpdateWhileConnectingKeepsAStillListedAddressAndGoesOnFromIt() {
        start();
        transports.created.get(0).fail();
        FakeTransport onB = transports.created.get(1);

        update(C, B, D);

        assertThat(onB.shutdownReason).isNull();
        assertThat(transports.created).hasSize(2);
        onB.fail();
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A, B, D);
        transports.created.get(2).fail();
        assertThat(states).containsExactly(ConnectivityState.CONNECTING, ConnectivityState.TRANSIENT_FAILURE);

        clock.forward(1200, TimeUnit.MILLISECONDS);
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A, B, D, C);
    }

    @Test
    void addressUpdateWhileReadyDropsALeftAddressAndGoesIdleAtOnce() {
        start();
        FakeTransport connected = transports.created.get(0);
        connected.ready();

        update(B, C);

        assertThat(subchannel.readyTransport()).isNull();
        assertThat(connected.shutdownReason).isNotNull();
        assertThat(states).containsExactly(ConnectivityState.CONNECTING, ConnectivityState.READY,
                ConnectivityState.IDLE);
        connected.fail();
        assertThat(states).endsWith(ConnectivityState.IDLE);
        assertThat(subchannel.snapshot().connections()).isEqualTo(new ConnectionStats(1, 0, 1));

        serializer.execute(subchannel::requestConnection);
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A, B);
    }

    @Test
    void addressUpdateWhileReadyKeepsAStillListedConnection() {
        start();
        FakeTransport connected = transports.created.get(0);
        connected.ready();

        update(C, A);

        assertThat(connected.shutdownReason).isNull();
        assertThat(subchannel.readyTransport()).isSameAs(connected);
        assertThat(states).endsWith(ConnectivityState.READY);
    }

    @Test
    void aMergedListChangedWhileReadyIsAppliedWithoutReadingItsAddresses() {
        Endpoint onA = Endpoint.of(A);
        Endpoint onB = Endpoint.of(B);
        EndpointList list = EndpointList.of(List.of(onA, onB));
        EndpointAddresses merged = EndpointAddresses.of(list);
        serializer.execute(() -> subchannel.updateEndpoint(new Endpoint(merged, Attributes.EMPTY)));
        start();
        FakeTransport connected = transports.created.get(0);
        connected.ready();

        EndpointList next = list.without(onB).withAdded(Endpoint.of(C));
        EndpointAddresses derived = merged.derive(next, EndpointList.changesSince(list, next));
        serializer.execute(() -> subchannel.updateEndpoint(new Endpoint(derived, Attributes.EMPTY)));

        assertThat(derived.isWorkedOut()).isFalse();
        assertThat(subchannel.readyTransport()).isSameAs(connected);
        assertThat(subchannel.snapshot().trace()).extracting(e -> e.description())
                .contains("Addresses changed: added [127.0.0.1:1003], removed [127.0.0.1:1002]; 2 in all");

        EndpointList last = next.without(onA);
        serializer.execute(() -> subchannel.updateEndpoint(
                new Endpoint(derived.derive(last, EndpointList.changesSince(next, last)), Attributes.EMPTY)));
        assertThat(connected.shutdownReason).isNotNull();
        assertThat(states).endsWith(ConnectivityState.IDLE);
    }

    @Test
    void addressUpdateDuringBackoffUsesTheNewListFromItsStart() {
        start();
        transports.created.get(0).fail();
        transports.created.get(1).fail();
        assertThat(states).endsWith(ConnectivityState.TRANSIENT_FAILURE);

        update(C, D);
        assertThat(transports.created).hasSize(2);

        clock.forward(1200, TimeUnit.MILLISECONDS);
        assertThat(transports.created).extracting(t -> t.address).containsExactly(A, B, C);
        assertThat(states).endsWith(ConnectivityState.CONNECTING);
    }

    private void update(SocketAddress... addresses) {
        serializer.execute(() -> subchannel.updateEndpoint(new Endpoint(List.of(addresses), Attributes.EMPTY)));
    }

    private final class FakeTransports implements ClientTransportFactory {
        final List<FakeTransport> created = new ArrayList<>();

        @Override
        public ClientTransport newTransport(SocketAddress address, String authority, long connectTimeoutNanos) {
            FakeTransport transport = new FakeTransport(address, authority, connectTimeoutNanos);
            created.add(transport);
            return transport;
        }

        @Override
        public TransportOptions options() {
            throw new UnsupportedOperationException();
        }
    }

    /** A transport whose events the test fires; they hop through the serializer as real ones do. */
    private static final class FakeTransport implements ClientTransport {
        final SocketAddress address;
        final String authority;
        final long connectTimeoutNanos;
        TransportListener listener;
        Status shutdownReason;

        FakeTransport(SocketAddress address, String authority, long connectTimeoutNanos) {
            this.address = address;
            this.authority = authority;
            this.connectTimeoutNanos = connectTimeoutNanos;
        }

        void ready() {
            listener.transportReady();
        }

        void fail() {
            listener.transportShutdown(Status.UNAVAILABLE.withDescription("refused"));
            listener.transportTerminated();
        }

        void terminate() {
            listener.transportTerminated();
        }

        @Override
        public void start(TransportListener transportListener) {
            listener = transportListener;
        }

        @Override
        public ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions,
                long deadlineNanos) {
            throw new UnsupportedOperationException();
        }

        @Override
        public @Nullable Status verifyAuthority(String authority) {
            return null;
        }

        @Override
        public Attributes attributes() {
            return Attributes.EMPTY;
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public void shutdown(Status reason) {
            shutdownReason = reason;
        }

        @Override
        public void shutdownNow(Status reason) {
            shutdownReason = reason;
        }

        @Override
        public SocketAddress remoteAddress() {
            return address;
        }

        @Override
        public String authority() {
            return authority;
        }

        @Override
        public SocketStats stats() {
            return null;
        }
    }
}
