package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import dev.lbchannel.testing.RecordingListener;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that answers as soon as a request's HEADERS arrive, before the request's DATA (or
 * even before the client sent any): the first stream of a fresh connection must not lose that
 * answer, whichever of its start, the connection's SETTINGS and the answer comes first. Each case
 * runs on {@value #CHANNELS} fresh channels in a row, with the direct and the default executor.
 */
@Timeout(120)
class EarlyAnswerTests {

    private static final int CHANNELS = 100;
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Metadata.Key<String> EARLY = Metadata.Key.of("x-early", Metadata.ASCII_STRING_MARSHALLER);
    private static final MethodDescriptor<byte[], byte[]> SERVER_STREAMING = RawMethods.UNARY.toBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName("test.Raw/ServerStreaming")
            .build();
    private static final byte[] QUESTION = "question".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.UTF_8);

    private RawHttp2Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Headers with metadata the moment the request's HEADERS arrive; a message and trailers once it ended. */
    private static RawHttp2Server earlyHeadersServer() {
        return RawHttp2Server.builder()
                .thenAtEndOfRequest(exchange -> exchange
                        .data(RawHttp2Server.frame(false, ANSWER), false)
                        .headers(RawHttp2Server.grpcTrailers(0), true))
                .start(exchange -> exchange.headers(RawHttp2Server.grpcHeaders().add("x-early", "yes-" + exchange.streamId()),
                        false));
    }

    /** A trailers-only UNIMPLEMENTED the moment the request's HEADERS arrive. */
    private static RawHttp2Server trailersOnlyServer() {
        return RawHttp2Server.start(exchange -> exchange.headers(RawHttp2Server.grpcHeaders()
                .add("grpc-status", Integer.toString(Status.Code.UNIMPLEMENTED.value()))
                .add("grpc-message", "not here"), true));
    }

    private LbChannel freshChannel(boolean direct) {
        LbChannelBuilder builder = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.address().getPort())
                .usePlaintext();
        return (direct ? builder.directExecutor() : builder).build();
    }

    private static void shutDown(LbChannel channel) throws InterruptedException {
        channel.shutdownNow();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("%s terminates", channel).isTrue();
    }

    @ParameterizedTest(name = "directExecutor={0}")
    @ValueSource(booleans = {true, false})
    void headersSentBeforeABidiRequestSendsAnythingReachTheListener(boolean direct) throws InterruptedException {
        server = earlyHeadersServer();
        for (int i = 0; i < CHANNELS; i++) {
            LbChannel channel = freshChannel(direct);
            try {
                RecordingListener<byte[]> listener = new RecordingListener<>();
                ClientCall<byte[], byte[]> call = channel.newCall(RawMethods.BIDI,
                        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
                call.start(listener, new Metadata());
                call.request(2);
                // Nothing sent yet: the server answered the HEADERS alone.
                Await.until("onHeaders on channel " + i, BOUND,
                        () -> listener.headers() != null || listener.isClosed());
                assertThat(listener.closes()).as("channel %d: closed before its headers", i).isEmpty();
                assertThat(listener.headers().get(EARLY)).as("channel %d: the early metadata", i).startsWith("yes-");

                call.sendMessage(QUESTION);
                call.halfClose();
                Status status = listener.awaitClose(BOUND);
                assertThat(status.isOk()).as("channel %d: %s", i, status).isTrue();
                assertThat(listener.messages()).as("channel %d", i).containsExactly(ANSWER);
                assertThat(listener.closes()).as("channel %d: onClose once", i).hasSize(1);
            } finally {
                shutDown(channel);
            }
        }
    }

    @ParameterizedTest(name = "directExecutor={0}")
    @ValueSource(booleans = {true, false})
    void headersSentBeforeAUnaryRequestsDataReachTheListener(boolean direct) throws InterruptedException {
        server = earlyHeadersServer();
        for (int i = 0; i < CHANNELS; i++) {
            LbChannel channel = freshChannel(direct);
            try {
                RecordingListener<byte[]> listener = new RecordingListener<>();
                ClientCall<byte[], byte[]> call = channel.newCall(RawMethods.UNARY,
                        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
                call.start(listener, new Metadata());
                call.request(1);
                call.sendMessage(QUESTION);
                call.halfClose();

                Status status = listener.awaitClose(BOUND);
                assertThat(status.isOk()).as("channel %d: %s", i, status).isTrue();
                assertThat(listener.headers()).as("channel %d: onHeaders", i).isNotNull();
                assertThat(listener.headers().get(EARLY)).as("channel %d: the early metadata", i).startsWith("yes-");
                assertThat(listener.messages()).as("channel %d", i).containsExactly(ANSWER);
                assertThat(listener.closes()).as("channel %d: onClose once", i).hasSize(1);
            } finally {
                shutDown(channel);
            }
        }
    }

    @ParameterizedTest(name = "directExecutor={0}")
    @ValueSource(booleans = {true, false})
    void trailersOnlyAnswerToAServerStreamingCallClosesIt(boolean direct) throws InterruptedException {
        server = trailersOnlyServer();
        for (int i = 0; i < CHANNELS; i++) {
            LbChannel channel = freshChannel(direct);
            try {
                RecordingListener<byte[]> listener = new RecordingListener<>();
                ClientCall<byte[], byte[]> call = channel.newCall(SERVER_STREAMING,
                        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
                call.start(listener, new Metadata());
                call.request(1);
                call.sendMessage(QUESTION);
                call.halfClose();

                assertUnimplemented(listener, i);
            } finally {
                shutDown(channel);
            }
        }
    }

    @ParameterizedTest(name = "directExecutor={0}")
    @ValueSource(booleans = {true, false})
    void trailersOnlyAnswerToABidiCallClosesIt(boolean direct) throws InterruptedException {
        server = trailersOnlyServer();
        for (int i = 0; i < CHANNELS; i++) {
            LbChannel channel = freshChannel(direct);
            try {
                RecordingListener<byte[]> listener = new RecordingListener<>();
                ClientCall<byte[], byte[]> call = channel.newCall(RawMethods.BIDI,
                        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
                call.start(listener, new Metadata());
                call.request(1);
                if (i % 2 == 0) {
                    call.sendMessage(QUESTION); // half the time a message races the answer; never a half-close
                }

                assertUnimplemented(listener, i);
            } finally {
                shutDown(channel);
            }
        }
    }

    private static void assertUnimplemented(RecordingListener<byte[]> listener, int channel) {
        Status status = listener.awaitClose(BOUND);
        assertThat(status.getCode()).as("channel %d: %s", channel, status).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(status.getDescription()).isEqualTo("not here");
        assertThat(listener.messages()).isEmpty();
        assertThat(listener.closes()).as("channel %d: onClose once", channel).hasSize(1);
    }
}
