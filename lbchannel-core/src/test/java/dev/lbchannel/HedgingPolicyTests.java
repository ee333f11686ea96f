package dev.lbchannel;

import dev.lbchannel.testing.RawExchange;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import dev.lbchannel.testing.RecordingStreamTracer;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code hedgingPolicy} at work (gRFC A6): hedges cut the tail when one backend stalls, a
 * non-fatal failure sends the next hedge at once, a fatal one ends the call, and the first
 * response wins while the others are cancelled.
 */
@Timeout(120)
class HedgingPolicyTests {

    private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.UTF_8);
    private static final int CALLS = 1000;
    private static final int CONCURRENCY = 20;

    private final List<TestBackend> backends = new ArrayList<>();
    private final ScheduledExecutorService stalls = Executors.newSingleThreadScheduledExecutor();
    private RawHttp2Server server;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.forEach(TestBackend::close);
        stalls.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, ?> hedging(String service, String delay, String... nonFatal) {
        return Map.of("methodConfig", List.of(Map.of("name", List.of(Map.of("service", service)),
                "hedgingPolicy", Map.of("maxAttempts", 3.0, "hedgingDelay", delay,
                        "nonFatalStatusCodes", List.of(nonFatal)))));
    }

    /** Holds every third call of the backend for 2 s before its handler runs, as a stalling host would. */
    private ServerInterceptor stallEveryThird() {
        AtomicInteger seen = new AtomicInteger();
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                boolean stall = seen.incrementAndGet() % 3 == 0;
                return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                    @Override
                    public void onHalfClose() {
                        if (stall) {
                            stalls.schedule(super::onHalfClose, 2, TimeUnit.SECONDS);
                        } else {
                            super.onHalfClose();
                        }
                    }
                };
            }
        };
    }

    /** The p99 latency in ms of {@value #CALLS} EmptyCalls, {@value #CONCURRENCY} at a time. */
    private long p99Millis() throws Exception {
        long[] latencies = new long[CALLS];
        Semaphore slots = new Semaphore(CONCURRENCY);
        List<CompletableFuture<?>> done = new ArrayList<>();
        var stub = TestServiceGrpc.newFutureStub(channel);
        for (int i = 0; i < CALLS; i++) {
            slots.acquire();
            int index = i;
            long started = System.nanoTime();
            CompletableFuture<Void> finished = new CompletableFuture<>();
            var future = stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            future.addListener(() -> {
                latencies[index] = System.nanoTime() - started;
                slots.release();
                finished.complete(null);
            }, Runnable::run);
            done.add(finished);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Arrays.sort(latencies);
        return TimeUnit.NANOSECONDS.toMillis(latencies[(int) (CALLS * 0.99)]);
    }

    private void roundRobinOverThreeBackendsOneStalling(Map<String, ?> serviceConfig) {
        backends.add(TestBackend.start(false, b -> b.intercept(stallEveryThird())));
        backends.add(TestBackend.plaintext());
        backends.add(TestBackend.plaintext());
        String target = "static:///" + String.join(",", backends.stream().map(b -> "127.0.0.1:" + b.port()).toList());
        channel = LbChannelBuilder.forTarget(target).usePlaintext().defaultLoadBalancingPolicy("round_robin")
                .defaultServiceConfig(serviceConfig).build();
    }

    @Test
    void hedgesCutTheTailOfABackendThatStallsOneCallInThree() throws Exception {
        roundRobinOverThreeBackendsOneStalling(hedging("grpc.testing.TestService", "0.05s"));
        p99Millis(); // a cold JVM answers slower than any hedging delay: warm both sides up first

        long p99 = p99Millis();

        assertThat(p99).as("p99 in ms with hedging after 50 ms").isLessThan(400);
        assertThat(channel.snapshot().attempts().hedges()).isPositive();
    }

    @Test
    void withoutHedgingTheStallsReachTheTail() throws Exception {
        roundRobinOverThreeBackendsOneStalling(Map.of());

        assertThat(p99Millis()).as("p99 in ms without hedging").isGreaterThanOrEqualTo(2000);
    }

    private void scripted(java.util.function.IntFunction<java.util.function.Consumer<RawExchange>> answer,
            Map<String, ?> config) {
        AtomicInteger requests = new AtomicInteger();
        server = RawHttp2Server.start(exchange -> answer.apply(requests.getAndIncrement()).accept(exchange));
        channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.address().getPort()).usePlaintext()
                .defaultServiceConfig(config).build();
    }

    private static java.util.function.Consumer<RawExchange> trailersOnly(int code) {
        return exchange -> {
            Http2Headers headers = RawHttp2Server.grpcHeaders().add("grpc-status", Integer.toString(code));
            exchange.headers(headers, true);
        };
    }

    @Test
    void aNonFatalFailureSendsTheNextHedgeAtOnce() {
        scripted(n -> n == 0 ? trailersOnly(14) : exchange -> exchange.okResponse(exchange.streamId(), ANSWER),
                hedging("test.Raw", "10s", "UNAVAILABLE"));
        RecordingStreamTracer.Factory tracers = RecordingStreamTracer.factory();

        long started = System.nanoTime();
        byte[] answer = ClientCalls.blockingUnaryCall(channel, RawMethods.UNARY,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS).withStreamTracerFactory(tracers), ANSWER);

        assertThat(answer).isEqualTo(ANSWER);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("not the 10 s delay").isLessThan(5);
        assertThat(server.requests()).isEqualTo(2);
        assertThat(tracers.tracers()).extracting(t -> t.info().getPreviousAttempts()).containsExactly(0, 1);
        assertThat(tracers.tracers()).allSatisfy(t -> assertThat(t.info().isHedging()).isTrue());
    }

    @Test
    void aFatalFailureEndsTheCallAndCancelsTheOtherHedges() {
        scripted(n -> n == 0 ? exchange -> { } : trailersOnly(13), hedging("test.Raw", "0.1s", "UNAVAILABLE"));

        Status status;
        try {
            ClientCalls.blockingUnaryCall(channel, RawMethods.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), ANSWER);
            throw new AssertionError("the call succeeded");
        } catch (StatusRuntimeException e) {
            status = e.getStatus();
        }

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(server.requests()).isEqualTo(2);
        assertThat(channel.snapshot().attempts().hedges()).isEqualTo(1);
    }
}
