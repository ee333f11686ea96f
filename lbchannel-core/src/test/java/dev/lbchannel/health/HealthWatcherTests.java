package dev.lbchannel.health;

import dev.lbchannel.BackoffPolicy;
import dev.lbchannel.channelz.ChannelTrace;
import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.health.FakeWatchTransport.FakeStream;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.testing.FakeScheduler;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.grpc.ConnectivityState.CONNECTING;
import static io.grpc.ConnectivityState.IDLE;
import static io.grpc.ConnectivityState.READY;
import static io.grpc.ConnectivityState.TRANSIENT_FAILURE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The A17 state mapping of {@link HealthWatcher}, on a real serializer and a fake clock: which
 * state the balancer hears for each answer and failure, backoff, UNIMPLEMENTED, config changes.
 */
@Timeout(30)
class HealthWatcherTests {

    /** No jitter, so that delays are exact: 100 ms, ×2, at most 1 s. */
    private static final BackoffPolicy BACKOFF = new BackoffPolicy(Duration.ofMillis(100), 2, 0,
            Duration.ofSeconds(1), Duration.ofSeconds(20));

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final Serializer serializer = new Serializer((t, e) -> uncaught.add(e));
    private final FakeScheduler clock = new FakeScheduler();
    private final ChannelTrace trace = new ChannelTrace();
    private final List<ConnectivityStateInfo> heard = new ArrayList<>();
    private @Nullable FakeWatchTransport transport;
    private final HealthWatcher watcher = watcher("orders.v1.Orders");

    @AfterEach
    void noUncaughtExceptions() {
        assertThat(uncaught).isEmpty();
    }

    private HealthWatcher watcher(@Nullable String serviceName) {
        HealthWatcher created = new HealthWatcher("subchannel", serviceName, serializer, clock, BACKOFF,
                () -> transport == null || transport.isShutdown() ? null : transport, trace);
        serializer.execute(() -> created.start(heard::add));
        return created;
    }

    private FakeWatchTransport connect() {
        transport = new FakeWatchTransport();
        connection(READY);
        return transport;
    }

    private void connection(ConnectivityState state) {
        serializer.execute(() -> watcher.onStateChange(ConnectivityStateInfo.forNonError(state)));
    }

    private List<ConnectivityState> heardStates() {
        return heard.stream().map(ConnectivityStateInfo::getState).toList();
    }

    private ConnectivityStateInfo last() {
        return heard.get(heard.size() - 1);
    }

    @Test
    void opensOneWatchForTheServiceAndStaysConnectingUntilTheFirstAnswer() throws Exception {
        connection(CONNECTING);
        FakeWatchTransport connected = connect();

        FakeStream stream = connected.lastStream();
        assertThat(stream.method).isEqualTo("grpc.health.v1.Health/Watch");
        assertThat(stream.type).isEqualTo(MethodDescriptor.MethodType.SERVER_STREAMING);
        assertThat(stream.requestedService()).isEqualTo("orders.v1.Orders");
        assertThat(stream.halfClosed).isTrue();
        assertThat(stream.requested).isEqualTo(1);
        assertThat(heardStates()).containsExactly(CONNECTING);
        assertThat(watcher.health().state()).isEqualTo(SubchannelHealth.State.CHECKING);

        stream.answer(ServingStatus.SERVING);

        assertThat(heardStates()).containsExactly(CONNECTING, READY);
        assertThat(stream.requested).as("asks for the next answer").isEqualTo(2);
        assertThat(watcher.health()).isEqualTo(new SubchannelHealth(SubchannelHealth.State.SERVING,
                "orders.v1.Orders", null));
    }

    @ParameterizedTest
    @EnumSource(value = ServingStatus.class, names = {"NOT_SERVING", "SERVICE_UNKNOWN", "UNKNOWN"})
    void anyAnswerButServingIsTransientFailureWithTheConnectionKept(ServingStatus status) {
        FakeWatchTransport connected = connect();
        connected.lastStream().answer(ServingStatus.SERVING);

        connected.lastStream().answer(status);

        assertThat(last().getState()).isEqualTo(TRANSIENT_FAILURE);
        assertThat(last().getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(last().getStatus().getDescription())
                .isEqualTo("Health service answered " + status + " for 'orders.v1.Orders'");
        assertThat(connected.shutdown).isFalse();
        assertThat(connected.streams).hasSize(1);
        assertThat(watcher.health().isUnhealthy()).isTrue();

        connected.lastStream().answer(ServingStatus.SERVING);

        assertThat(last().getState()).as("straight back to READY").isEqualTo(READY);
    }

    @Test
    void failedStreamIsRetriedWithGrowingBackoffUntilAnAnswerResetsIt() {
        FakeWatchTransport connected = connect();
        connected.lastStream().close(Status.UNAVAILABLE.withDescription("health service restarting"));

        assertThat(last().getState()).isEqualTo(TRANSIENT_FAILURE);
        assertThat(last().getStatus().getDescription()).isEqualTo(
                "Health-check stream for 'orders.v1.Orders' failed: UNAVAILABLE health service restarting");
        assertThat(watcher.health().state()).isEqualTo(SubchannelHealth.State.STREAM_FAILED);
        assertThat(clock.pendingDelaysNanos()).containsExactly(TimeUnit.MILLISECONDS.toNanos(100));
        clock.forward(99, TimeUnit.MILLISECONDS);
        assertThat(connected.streams).hasSize(1);
        clock.forward(1, TimeUnit.MILLISECONDS);
        assertThat(connected.streams).hasSize(2);
        assertThat(heardStates()).endsWith(TRANSIENT_FAILURE, CONNECTING);

        connected.lastStream().close(Status.INTERNAL);
        assertThat(clock.pendingDelaysNanos()).containsExactly(TimeUnit.MILLISECONDS.toNanos(200));
        clock.forward(200, TimeUnit.MILLISECONDS);
        connected.lastStream().answer(ServingStatus.SERVING);
        assertThat(last().getState()).isEqualTo(READY);

        connected.lastStream().close(Status.UNAVAILABLE);
        assertThat(connected.streams).as("restarted at once after an answer").hasSize(4);
        assertThat(clock.pendingDelaysNanos()).isEmpty();
        connected.lastStream().close(Status.UNAVAILABLE);
        assertThat(clock.pendingDelaysNanos()).as("backoff starts over").containsExactly(
                TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void unimplementedTurnsTheCheckOffForThisConnectionOnly() {
        FakeWatchTransport first = connect();
        first.lastStream().close(Status.UNIMPLEMENTED.withDescription("unknown service grpc.health.v1.Health"));

        assertThat(last().getState()).isEqualTo(READY);
        assertThat(watcher.health().state()).isEqualTo(SubchannelHealth.State.UNIMPLEMENTED);
        assertThat(clock.pendingDelaysNanos()).isEmpty();
        assertThat(trace.events()).anySatisfy(e -> assertThat(e.description()).contains("UNIMPLEMENTED"));

        connection(IDLE);
        FakeWatchTransport second = connect();

        assertThat(second.streams).as("the next connection is checked again").hasSize(1);
        assertThat(last().getState()).isEqualTo(CONNECTING);
    }

    @Test
    void withoutAServiceNameStatesPassUnchangedAndNoStreamOpens() {
        HealthWatcher unnamed = watcher(null);
        transport = new FakeWatchTransport();
        ConnectivityStateInfo failure = ConnectivityStateInfo.forTransientFailure(Status.UNAVAILABLE);
        serializer.execute(() -> {
            unnamed.onStateChange(ConnectivityStateInfo.forNonError(CONNECTING));
            unnamed.onStateChange(failure);
            unnamed.onStateChange(ConnectivityStateInfo.forNonError(READY));
        });

        assertThat(heard).containsExactly(ConnectivityStateInfo.forNonError(CONNECTING), failure,
                ConnectivityStateInfo.forNonError(READY));
        assertThat(transport.streams).isEmpty();
        assertThat(unnamed.health()).isEqualTo(SubchannelHealth.NOT_CHECKED);
    }

    @Test
    void aNewServiceNameRestartsTheWatchAndNoNameStopsIt() throws Exception {
        FakeWatchTransport connected = connect();
        FakeStream first = connected.lastStream();
        first.answer(ServingStatus.SERVING);

        serializer.execute(() -> watcher.serviceName(""));

        assertThat(first.cancelled).isNotNull();
        assertThat(connected.lastStream().requestedService()).isEmpty();
        assertThat(last().getState()).as("already READY: no detour through CONNECTING").isEqualTo(READY);

        serializer.execute(() -> watcher.serviceName(null));

        assertThat(connected.lastStream().cancelled).isNotNull();
        assertThat(connected.streams).hasSize(2);
        assertThat(last().getState()).isEqualTo(READY);
        assertThat(watcher.health()).isEqualTo(SubchannelHealth.NOT_CHECKED);
    }

    @Test
    void lostConnectionStopsTheStreamAndItsFailureIsNotTheHealthVerdict() {
        FakeWatchTransport connected = connect();
        connected.lastStream().answer(ServingStatus.SERVING);
        connected.shutdown = true;   // GOAWAY: the stream ends before the subchannel hears of it

        connected.lastStream().close(Status.UNAVAILABLE.withDescription("connection closed"));
        assertThat(last().getState()).isEqualTo(READY);
        connection(IDLE);

        assertThat(last().getState()).isEqualTo(IDLE);
        assertThat(clock.pendingDelaysNanos()).isEmpty();
        assertThat(watcher.health()).isEqualTo(SubchannelHealth.NOT_CHECKED);
    }

    @Test
    void shutdownCancelsTheStreamAndTheRetryTimer() {
        FakeWatchTransport connected = connect();
        connected.lastStream().close(Status.UNAVAILABLE);
        clock.forward(100, TimeUnit.MILLISECONDS);
        FakeStream open = connected.lastStream();
        int heardBefore = heard.size();

        serializer.execute(watcher::shutdown);

        assertThat(open.cancelled).isNotNull();
        connection(IDLE);
        assertThat(heard).hasSize(heardBefore);
    }
}
