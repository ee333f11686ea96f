package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RawExchange;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import dev.lbchannel.testing.RecordingCallListener;
import dev.lbchannel.testing.RecordingStreamTracer;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code retryPolicy} at work against a scripted server (gRFC A6): which failures are retried
 * and which are not, {@code grpc-previous-rpc-attempts}, the server's pushback, the per-attempt
 * receive timeout, commitment by response headers or by the replay buffer, and cancel and
 * deadline while waiting for the next attempt.
 */
@Timeout(60)
class RetryPolicyTests {

    private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.UTF_8);
    private static final byte[] QUESTION = "question".getBytes(StandardCharsets.UTF_8);

    private RawHttp2Server server;
    private LbChannel channel;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Http2Headers> requestHeaders = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Answers request {@code n} (0 first, over all connections) with {@code answer.apply(n)}'s script. */
    private void serve(java.util.function.IntFunction<Consumer<RawExchange>> answer) {
        server = RawHttp2Server.start(exchange -> {
            requestHeaders.add(exchange.requestHeaders());
            answer.apply(requests.getAndIncrement()).accept(exchange);
        });
    }

    private void connect(Map<String, ?> retryPolicy, UnaryOperator<LbChannelBuilder> options) {
        Map<String, ?> config = Map.of("methodConfig", List.of(Map.of(
                "name", List.of(Map.of("service", "test.Raw")), "retryPolicy", retryPolicy)));
        channel = options.apply(LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.address().getPort())
                .usePlaintext().defaultServiceConfig(config)).build();
    }

    private static Map<String, Object> policy(double maxAttempts, String... codes) {
        return new java.util.HashMap<>(Map.of("maxAttempts", maxAttempts, "initialBackoff", "0.01s",
                "maxBackoff", "0.05s", "backoffMultiplier", 2.0, "retryableStatusCodes", List.of(codes)));
    }

    private static Consumer<RawExchange> fail(int code, String... trailers) {
        return exchange -> {
            Http2Headers headers = RawHttp2Server.grpcHeaders().add("grpc-status", Integer.toString(code));
            for (int i = 0; i < trailers.length; i += 2) {
                headers.add(trailers[i], trailers[i + 1]);
            }
            exchange.headers(headers, true); // trailers-only: the call is not committed
        };
    }

    private static Consumer<RawExchange> ok() {
        return exchange -> exchange.okResponse(exchange.streamId(), ANSWER);
    }

    private byte[] unary(CallOptions options) {
        return ClientCalls.blockingUnaryCall(channel, RawMethods.UNARY,
                options.withDeadlineAfter(20, TimeUnit.SECONDS), QUESTION);
    }

    private Status failure(CallOptions options) {
        try {
            unary(options);
            throw new AssertionError("the call succeeded");
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    @Test
    void retryableFailuresAreRetriedWithThePreviousAttemptsHeaderUntilOneSucceeds() {
        serve(n -> n < 2 ? fail(14) : ok());
        connect(policy(3, "UNAVAILABLE"), b -> b);
        RecordingStreamTracer.Factory tracers = RecordingStreamTracer.factory();

        assertThat(unary(CallOptions.DEFAULT.withStreamTracerFactory(tracers))).isEqualTo(ANSWER);

        assertThat(requests).hasValue(3);
        assertThat(requestHeaders.get(0).get("grpc-previous-rpc-attempts")).isNull();
        assertThat(requestHeaders.get(1).get("grpc-previous-rpc-attempts")).hasToString("1");
        assertThat(requestHeaders.get(2).get("grpc-previous-rpc-attempts")).hasToString("2");
        assertThat(tracers.tracers()).extracting(t -> t.info().getPreviousAttempts()).containsExactly(0, 1, 2);
        assertThat(tracers.tracers()).allSatisfy(t -> assertThat(t.info().isTransparentRetry()).isFalse());
        assertThat(channel.snapshot().attempts().retries()).isEqualTo(2);
    }

    @Test
    void theLastAttemptsStatusReachesTheApplicationWhenAttemptsRunOut() {
        serve(n -> fail(14, "x-attempt", Integer.toString(n)));
        connect(policy(7, "UNAVAILABLE"), b -> b.maxRetryAttempts(4)); // the channel caps the policy's 5

        assertThat(failure(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(requests).hasValue(4);
    }

    @Test
    void aStatusNotInRetryableStatusCodesIsNotRetried() {
        serve(n -> fail(13));
        connect(policy(5, "UNAVAILABLE"), b -> b);

        assertThat(failure(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(requests).hasValue(1);
    }

    @Test
    void disableRetryTurnsThePolicyOff() {
        serve(n -> fail(14));
        connect(policy(5, "UNAVAILABLE"), LbChannelBuilder::disableRetry);

        assertThat(failure(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(requests).hasValue(1);
    }

    @Test
    void responseHeadersCommitTheCallSoALaterFailureIsNotRetried() {
        serve(n -> exchange -> exchange.headers(RawHttp2Server.grpcHeaders(), false)
                .headers(RawHttp2Server.grpcTrailers(14), true));
        connect(policy(5, "UNAVAILABLE"), b -> b);

        assertThat(failure(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(requests).hasValue(1);
    }

    @Test
    void pushbackDelaysTheNextAttemptByExactlyItsValue() {
        serve(n -> n == 0 ? fail(14, "grpc-retry-pushback-ms", "400") : ok());
        connect(policy(3, "UNAVAILABLE"), b -> b);

        long started = System.nanoTime();
        assertThat(unary(CallOptions.DEFAULT)).isEqualTo(ANSWER);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(400);
        assertThat(requests).hasValue(2);
    }

    @Test
    void aNegativeOrMalformedPushbackStopsRetrying() {
        serve(n -> fail(14, "grpc-retry-pushback-ms", n == 0 ? "-1" : "soon"));
        connect(policy(5, "UNAVAILABLE"), b -> b);

        assertThat(failure(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(failure(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(requests).hasValue(2);
    }

    @Test
    void anAttemptWithoutResponseHeadersWithinItsReceiveTimeoutIsRetried() {
        serve(n -> n == 0 ? exchange -> { } : ok()); // the first attempt is never answered
        Map<String, Object> policy = policy(2);
        policy.put("perAttemptRecvTimeout", "0.2s");
        connect(policy, b -> b);

        assertThat(unary(CallOptions.DEFAULT)).isEqualTo(ANSWER);
        assertThat(requests).hasValue(2);
    }

    @Test
    void aStreamThatOutgrowsTheReplayBufferCommitsAndIsNotRetried() {
        server = RawHttp2Server.builder().answerAtEndOfRequest().start(exchange -> {
            requests.incrementAndGet();
            fail(14).accept(exchange);
        });
        connect(policy(5, "UNAVAILABLE"), b -> b.perRpcBufferLimit(1 << 20));
        ClientCall<byte[], byte[]> call = channel.newCall(RawMethods.BIDI,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        RecordingCallListener<byte[]> listener = new RecordingCallListener<>();
        call.start(listener, new Metadata());
        for (int i = 0; i < 32; i++) {
            call.sendMessage(new byte[64 * 1024]); // 2 MiB in all
        }
        call.halfClose();

        assertThat(listener.awaitStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(requests).hasValue(1);
    }

    @Test
    void cancelWhileWaitingForTheNextAttemptEndsTheCallAtOnce() {
        serve(n -> fail(14, "grpc-retry-pushback-ms", "30000"));
        connect(policy(3, "UNAVAILABLE"), b -> b);
        ClientCall<byte[], byte[]> call = channel.newCall(RawMethods.UNARY,
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
        RecordingCallListener<byte[]> listener = new RecordingCallListener<>();
        call.start(listener, new Metadata());
        call.request(1);
        call.sendMessage(QUESTION);
        call.halfClose();
        Await.until("the first attempt failed", () -> requests.get() == 1 && channel.snapshot().subchannels().stream()
                .anyMatch(s -> s.calls().failed() == 1));

        call.cancel("not waiting 30 s", null);

        assertThat(listener.awaitStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(requests).hasValue(1);
    }

    @Test
    void theDeadlineSpansEveryAttemptAndTheWaitsBetween() {
        serve(n -> fail(14, "grpc-retry-pushback-ms", "30000"));
        connect(policy(3, "UNAVAILABLE"), b -> b);

        long started = System.nanoTime();
        Status status;
        try {
            ClientCalls.blockingUnaryCall(channel, RawMethods.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), QUESTION);
            throw new AssertionError("the call succeeded");
        } catch (StatusRuntimeException e) {
            status = e.getStatus();
        }

        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
        assertThat(requests).hasValue(1);
    }

    @Test
    void theChannelsThrottleStopsRetriesBelowHalfItsTokensAndSuccessesBringThemBack() {
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        serve(n -> failing.get() ? fail(14) : ok());
        Map<String, Object> config = new java.util.HashMap<>(Map.of("methodConfig", List.of(Map.of(
                "name", List.of(Map.of("service", "test.Raw")), "retryPolicy", policy(3, "UNAVAILABLE")))));
        config.put("retryThrottling", Map.of("maxTokens", 10.0, "tokenRatio", 0.1));
        channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.address().getPort()).usePlaintext()
                .defaultServiceConfig(config).build();

        // Tokens 10 -> 9 -> 8 -> 7 (three attempts), 6 -> 5 (two; 5 is not above half), then 4, 3, 2: one each.
        int[] attemptsPerCall = {3, 2, 1, 1, 1};
        for (int expected : attemptsPerCall) {
            int before = requests.get();
            assertThat(failure(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(requests.get() - before).isEqualTo(expected);
        }
        assertThat(channel.snapshot().attempts().throttled()).isEqualTo(4);

        failing.set(false);
        for (int i = 0; i < 41; i++) { // 2 + 41 x 0.1 = 6.1 tokens
            unary(CallOptions.DEFAULT);
        }
        failing.set(true);
        int before = requests.get();
        assertThat(failure(CallOptions.DEFAULT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(requests.get() - before).as("6.1 -> 5.1 retries once more, 5.1 -> 4.1 stops").isEqualTo(2);
    }

    @Test
    void aFailFastPickFailureIsHandledByThePolicy() {
        serve(n -> ok());
        int port = server.address().getPort();
        server.close();
        server = null;
        try (dev.lbchannel.testing.RefusedPort refused = new dev.lbchannel.testing.RefusedPort()) {
            Map<String, ?> config = Map.of("methodConfig", List.of(Map.of(
                    "name", List.of(Map.of("service", "test.Raw")), "retryPolicy", policy(3, "UNAVAILABLE"))));
            channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + refused.port()).usePlaintext()
                    .defaultServiceConfig(config).build();

            assertThatThrownBy(() -> unary(CallOptions.DEFAULT)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(channel.snapshot().attempts().retries()).isEqualTo(2);
        }
        assertThat(port).isPositive();
    }
}
