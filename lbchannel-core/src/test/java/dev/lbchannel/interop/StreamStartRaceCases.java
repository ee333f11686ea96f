package dev.lbchannel.interop;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The race at stream start against servers that answer as soon as the request HEADERS arrive,
 * as gRPC C-core and grpc-go do: an unknown method is closed UNIMPLEMENTED with a trailers-only
 * response, and echoed initial metadata is sent before the first message. Response HEADERS then
 * arrive right behind the request's, so each round uses a fresh channel, whose first stream
 * opens with the connection; plaintext h2c, where nothing stands between the two. Every call has
 * a deadline and every wait a bound, and a test stops after a few failed rounds, so a channel
 * that loses those HEADERS fails fast instead of hanging; {@code -Dlbchannel.race.rounds} and
 * {@code -Dlbchannel.race.maxFailures} measure its failure rate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class StreamStartRaceCases {

    /** Rounds per test; {@code -Dlbchannel.race.rounds} raises it to measure a failure rate. */
    private static final int ROUNDS = Integer.getInteger("lbchannel.race.rounds", 100);
    /** Failed rounds after which a test stops; {@code -Dlbchannel.race.maxFailures} raises it. */
    private static final int MAX_FAILURES = Integer.getInteger("lbchannel.race.maxFailures", 3);
    /** A healthy round takes milliseconds; this leaves a loaded machine ample room. */
    private static final long DEADLINE_SECONDS = 3;
    /** The call's own deadline closes it first; this only catches a call that never closes. */
    private static final long WAIT_SECONDS = DEADLINE_SECONDS + 2;
    private static final String ECHOED = "echo-me";
    private static final Metadata.Key<String> ECHO_INITIAL =
            Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
    private static final MethodDescriptor<Empty, Empty> UNIMPLEMENTED_SERVER_STREAMING =
            TestServiceGrpc.getUnimplementedCallMethod().toBuilder()
                    .setType(MethodDescriptor.MethodType.SERVER_STREAMING).build();
    private static final MethodDescriptor<Empty, Empty> UNIMPLEMENTED_BIDI =
            TestServiceGrpc.getUnimplementedCallMethod().toBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING).build();

    private @Nullable InteropServer server;
    /** Why the server could not start, when its stack is not installed. */
    private @Nullable String unavailable;

    /** Starts the server in plaintext. */
    abstract InteropServer startServer();

    @BeforeAll
    void start() {
        try {
            server = startServer();
        } catch (TestAbortedException e) {
            // Skipped on each test (below): Surefire reports a skip on the class as no test at all.
            unavailable = e.getMessage();
        }
    }

    @BeforeEach
    void requireServer() {
        assumeTrue(unavailable == null, unavailable);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void unimplementedServerStreamingCallClosesUnimplemented() throws Exception {
        rounds("server-streaming call to an unimplemented method", channel -> {
            Recorder<Empty, Empty> call = Recorder.start(channel, UNIMPLEMENTED_SERVER_STREAMING, new Metadata());
            call.call.sendMessage(Empty.getDefaultInstance());
            call.call.halfClose();
            return expectStatus(call, Status.Code.UNIMPLEMENTED);
        });
    }

    @Test
    void unimplementedBidiCallClosesUnimplementedBeforeAnyMessage() throws Exception {
        rounds("bidi call to an unimplemented method, nothing sent", channel -> {
            Recorder<Empty, Empty> call = Recorder.start(channel, UNIMPLEMENTED_BIDI, new Metadata());
            String failure = expectStatus(call, Status.Code.UNIMPLEMENTED);
            call.call.cancel("round over", null);
            return failure;
        });
    }

    @Test
    void unaryCallHearsEchoedInitialMetadata() throws Exception {
        rounds("unary call with x-grpc-test-echo-initial", channel -> {
            Recorder<SimpleRequest, SimpleResponse> call =
                    Recorder.start(channel, TestServiceGrpc.getUnaryCallMethod(), echoRequest());
            call.call.sendMessage(SimpleRequest.newBuilder().setResponseSize(1).build());
            call.call.halfClose();
            String status = expectStatus(call, Status.Code.OK);
            return status != null ? status : expectEchoed(call);
        });
    }

    @Test
    void bidiCallHearsEchoedInitialMetadataBeforeAnyMessage() throws Exception {
        rounds("bidi call with x-grpc-test-echo-initial, nothing sent before the headers", channel -> {
            Recorder<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
                    Recorder.start(channel, TestServiceGrpc.getFullDuplexCallMethod(), echoRequest());
            String headers = awaitHeaders(call);
            if (headers != null) {
                call.call.cancel("round over", null);
                return headers;
            }
            call.call.sendMessage(StreamingOutputCallRequest.newBuilder()
                    .addResponseParameters(ResponseParameters.newBuilder().setSize(1)).build());
            call.call.halfClose();
            String status = expectStatus(call, Status.Code.OK);
            return status != null ? status : expectEchoed(call);
        });
    }

    private void rounds(String what, Round round) throws Exception {
        List<String> failures = new ArrayList<>();
        int rounds = 0;
        while (rounds < ROUNDS && failures.size() < MAX_FAILURES) {
            rounds++;
            LbChannel channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.port())
                    .usePlaintext().build();
            try {
                String failure = round.run(channel);
                if (failure != null) {
                    failures.add("round " + rounds + ": " + failure);
                }
            } finally {
                channel.shutdownNow();
                assertThat(channel.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(failures).as("%s: %d of %d rounds failed%s", what, failures.size(), rounds,
                rounds < ROUNDS ? " (stopped early, of " + ROUNDS + ")" : "").isEmpty();
    }

    private static Metadata echoRequest() {
        Metadata headers = new Metadata();
        headers.put(ECHO_INITIAL, ECHOED);
        return headers;
    }

    /** Null if the call closed with {@code code} within the bound, else what went wrong. */
    private static @Nullable String expectStatus(Recorder<?, ?> call, Status.Code code) throws Exception {
        try {
            Status status = call.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return status.getCode() == code ? null
                    : "closed " + status.getCode() + " (" + status.getDescription() + "), expected " + code;
        } catch (TimeoutException e) {
            call.call.cancel("not closed in time", null);
            return "not closed within " + WAIT_SECONDS + " s (nor by its " + DEADLINE_SECONDS
                    + " s deadline), expected " + code;
        }
    }

    private static @Nullable String awaitHeaders(Recorder<?, ?> call) throws Exception {
        CompletableFuture<Object> first = CompletableFuture.anyOf(call.headers, call.closed);
        try {
            first.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "no response headers within " + WAIT_SECONDS + " s, and not closed by its "
                    + DEADLINE_SECONDS + " s deadline";
        }
        return call.headers.isDone() ? null : "closed " + call.closed.get() + " before any response headers";
    }

    private static @Nullable String expectEchoed(Recorder<?, ?> call) throws ExecutionException, InterruptedException {
        if (!call.headers.isDone()) {
            return "closed OK without onHeaders";
        }
        String echoed = call.headers.get().get(ECHO_INITIAL);
        return ECHOED.equals(echoed) ? null : "onHeaders carried x-grpc-test-echo-initial=" + echoed;
    }

    /** One round on a fresh channel: null when it went right, else what went wrong. */
    private interface Round {
        @Nullable String run(LbChannel channel) throws Exception;
    }

    /** A started call, with one response requested, and what its listener heard. */
    private static final class Recorder<ReqT, RespT> extends ClientCall.Listener<RespT> {
        final CompletableFuture<Metadata> headers = new CompletableFuture<>();
        final CompletableFuture<Status> closed = new CompletableFuture<>();
        final ClientCall<ReqT, RespT> call;

        private Recorder(ClientCall<ReqT, RespT> call) {
            this.call = call;
        }

        static <ReqT, RespT> Recorder<ReqT, RespT> start(LbChannel channel, MethodDescriptor<ReqT, RespT> method,
                Metadata requestHeaders) {
            Recorder<ReqT, RespT> recorder = new Recorder<>(channel.newCall(method,
                    CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)));
            recorder.call.start(recorder, requestHeaders);
            recorder.call.request(1);
            return recorder;
        }

        @Override
        public void onHeaders(Metadata headers) {
            this.headers.complete(headers);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
        }
    }
}
