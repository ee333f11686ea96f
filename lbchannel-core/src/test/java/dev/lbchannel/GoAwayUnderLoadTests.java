package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.CallTally;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import dev.lbchannel.testing.RecordingListener;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.ManagedChannel;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.handler.codec.http2.Http2Error;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that ages its connections out ({@code maxConnectionAge} 1 s, grace 5 s: GOAWAY, a
 * PING, a second GOAWAY with the last stream it took) under 200 unary calls a second for 15 s,
 * so that about fifteen connections come and go (at least seven must): every call must
 * succeed, fail-fast and without a retry policy, on lbchannel as on grpc-java's own client, which
 * runs the same load here as the comparison. The load rarely hits the narrow window in which a
 * call can be picked onto a connection whose GOAWAY was read but not yet handled, so that
 * window is also opened on purpose, deterministically, by the last test.
 */
@Timeout(120)
class GoAwayUnderLoadTests {

    private static final int CALLS_PER_SECOND = 200;
    private static final long LOAD_MILLIS = 15_000;
    /** Connections aged out at about 1 s over 15 s of load: at least half that many must have come and gone. */
    private static final int RECYCLED_AT_LEAST = (int) (LOAD_MILLIS / 1000 / 2);
    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(32).build();

    private final AtomicInteger connections = new AtomicInteger();
    private final TestBackend backend = TestBackend.start(false, builder -> builder
            .maxConnectionAge(1, TimeUnit.SECONDS)
            .maxConnectionAgeGrace(5, TimeUnit.SECONDS)
            .addTransportFilter(new ServerTransportFilter() {
                @Override
                public Attributes transportReady(Attributes attributes) {
                    connections.incrementAndGet();
                    return attributes;
                }
            }));
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "goaway-load-pacer");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stop() {
        pacer.shutdownNow();
        backend.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pick_first", "round_robin"})
    void lbchannelLosesNoCallWhileTheServerAgesConnectionsOut(String policy) throws Exception {
        LbChannel channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + backend.port())
                .usePlaintext()
                .defaultLoadBalancingPolicy(policy)
                .build();
        try {
            CallTally outcome = runLoad(channel);
            long connected = channel.snapshot().connections().attemptsSucceeded();
            assertThat(outcome.failures()).as("lbchannel (%s): calls failed while connections were aged out; "
                    + "%d of %d calls, by status: %s", policy, outcome.failures().size(), outcome.started(), outcome.failuresByStatus())
                    .isEmpty();
            assertThat(connected).as("connections the channel made (snapshot)").isGreaterThanOrEqualTo(RECYCLED_AT_LEAST);
            assertThat(connections.get()).as("connections the server saw").isGreaterThanOrEqualTo(RECYCLED_AT_LEAST);
        } finally {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The comparison: grpc-java's own client under the same load against the same kind of server. */
    @Test
    void grpcJavaLosesNoCallWhileTheServerAgesConnectionsOut() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + backend.port())
                .usePlaintext()
                .defaultLoadBalancingPolicy("pick_first")
                .build();
        try {
            CallTally outcome = runLoad(channel);
            assertThat(outcome.failures()).as("grpc-java: %d of %d calls failed, by status: %s",
                    outcome.failures().size(), outcome.started(), outcome.failuresByStatus()).isEmpty();
            assertThat(connections.get()).as("connections the server saw").isGreaterThanOrEqualTo(RECYCLED_AT_LEAST);
        } finally {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * The deterministic core of the race above. A GOAWAY is read on the event loop at once, but
     * the subchannel hears it through the channel's serializer, which another thread may be
     * draining just then (here: held on purpose). A call picked meanwhile gets the going-away
     * connection, which refuses its stream locally; the call must then wait for the next
     * connection, not fail. NettyClientTransport.isShutdown() is set the moment the GOAWAY is
     * read so that picks can skip that connection, but nothing reads it:
     * DefaultSubchannel.readyTransport() returns the connection regardless, so the call is
     * refused, transparently retried on the same connection, refused again, ... up to
     * PreCommitStream.MAX_LOCAL_RETRIES (1000) times in a few milliseconds, then fails.
     */
    @Test
    void callPickedWhileAGoAwayIsOnItsWayThroughTheSerializerWaitsForTheNextConnection() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        byte[] answer = "answer".getBytes(StandardCharsets.UTF_8);
        try (RawHttp2Server server = RawHttp2Server.start(exchange -> {
            exchange.headers(RawHttp2Server.grpcHeaders(), false)
                    .data(RawHttp2Server.frame(false, answer), false);
            if (requests.incrementAndGet() == 2) {
                // Before the trailers: the client has read it by the time this call closes.
                exchange.goAway(exchange.streamId(), Http2Error.NO_ERROR, "draining");
            }
            exchange.headers(RawHttp2Server.grpcTrailers(0), true);
        })) {
            LbChannel channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.address().getPort())
                    .usePlaintext().directExecutor().build();
            ExecutorService holder = Executors.newSingleThreadExecutor();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try {
                assertThat(unary(channel).awaitClose(Duration.ofSeconds(10)).isOk()).as("first call").isTrue();
                holder.execute(() -> channel.serializer().execute(() -> {
                    held.countDown();
                    awaitQuietly(release);
                }));
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

                assertThat(unary(channel).awaitClose(Duration.ofSeconds(10)).isOk())
                        .as("the call answered together with the GOAWAY").isTrue();
                RecordingListener<byte[]> picked = unary(channel);
                boolean closedWhileHeld = waitForClose(picked, Duration.ofMillis(500));
                release.countDown();

                assertThat(closedWhileHeld ? picked.closes().get(0) : null)
                        .as("BUG: a call picked while the GOAWAY was still queued for the serializer closed instead "
                                + "of waiting for the next connection")
                        .isNull();
                assertThat(picked.awaitClose(Duration.ofSeconds(10)).isOk()).as("it succeeds on a new connection").isTrue();
            } finally {
                release.countDown();
                holder.shutdown();
                channel.shutdownNow();
                assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static RecordingListener<byte[]> unary(LbChannel channel) {
        RecordingListener<byte[]> listener = new RecordingListener<>();
        ClientCall<byte[], byte[]> call = channel.newCall(RawMethods.UNARY,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
        call.start(listener, new Metadata());
        call.request(1);
        call.sendMessage("question".getBytes(StandardCharsets.UTF_8));
        call.halfClose();
        return listener;
    }

    /** Whether {@code listener} closes within {@code bound}: a bounded wait for what should not happen. */
    private static boolean waitForClose(RecordingListener<?> listener, Duration bound) {
        try {
            Await.until("a close", bound, listener::isClosed);
            return true;
        } catch (AssertionError timedOut) {
            return false;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts {@value #CALLS_PER_SECOND} unary calls a second, evenly spaced (bursts would leave
     * the moments a GOAWAY arrives mostly idle), for {@value #LOAD_MILLIS} ms, then waits
     * (bounded) for all to end.
     */
    private CallTally runLoad(io.grpc.Channel channel) throws Exception {
        CallTally tally = new CallTally();
        long calls = LOAD_MILLIS * CALLS_PER_SECOND / 1000;
        AtomicInteger scheduled = new AtomicInteger();
        ScheduledFuture<?> load = pacer.scheduleAtFixedRate(() -> {
            if (scheduled.getAndIncrement() < calls) {
                ClientCalls.asyncUnaryCall(channel.newCall(TestServiceGrpc.getUnaryCallMethod(),
                        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)), REQUEST, tally.start());
            }
        }, 0, 1_000_000L / CALLS_PER_SECOND, TimeUnit.MICROSECONDS);
        try {
            Await.until("every call started", Duration.ofMillis(LOAD_MILLIS * 3), () -> tally.started() >= calls);
        } finally {
            load.cancel(false);
        }
        tally.awaitAllEnded(Duration.ofSeconds(30));
        return tally;
    }
}
