package dev.lbchannel.transport;

import com.google.protobuf.ByteString;
import dev.lbchannel.testing.TestBackend;
import dev.lbchannel.transport.RecordingStreamListener.Closed;
import dev.lbchannel.transport.TransportFixture.Call;
import dev.lbchannel.transport.TransportFixture.Connected;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.lbchannel.transport.TransportFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The transport against grpc-java's server and interop service, plaintext. */
@Timeout(60)
class NettyTransportTests {

    private static TestBackend backend;
    private static TransportFixture fixture;
    private static Connected connection;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.plaintext();
        fixture = new TransportFixture();
        connection = fixture.connect(fixture.options().build(), backend.address(), backend.authority());
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        backend.close();
    }

    @Test
    void unaryCallReturnsResponseHeadersMessageAndOk() throws Exception {
        Call call = connection.unary(TestServiceGrpc.getUnaryCallMethod(),
                SimpleRequest.newBuilder().setResponseSize(1234).build());

        Closed closed = call.listener().awaitClose();

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.OK);
        assertThat(closed.progress()).isIn(RpcProgress.PROCESSED, RpcProgress.COMPLETED);
        assertThat(call.listener().headers).isDone();
        SimpleResponse response = SimpleResponse.parseFrom(call.listener().awaitMessage());
        assertThat(response.getPayload().getBody().size()).isEqualTo(1234);
        assertThat(connection.transport().stats().streamsSucceeded()).isPositive();
    }

    @Test
    void serverStreamingDeliversEveryMessageInOrder() throws Exception {
        StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
        for (int size : new int[] {31415, 9, 2653, 58979}) {
            request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
        }
        Call call = connection.start(TestServiceGrpc.getStreamingOutputCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 10, List.of(request.build()), true);

        assertThat(call.listener().awaitClose().status().isOk()).isTrue();
        List<Integer> sizes = new ArrayList<>();
        for (byte[] bytes : call.listener().messages) {
            sizes.add(StreamingOutputCallResponse.parseFrom(bytes).getPayload().getBody().size());
        }
        assertThat(sizes).containsExactly(31415, 9, 2653, 58979);
    }

    @Test
    void clientStreamingSendsEveryMessage() throws Exception {
        List<StreamingInputCallRequest> requests = new ArrayList<>();
        for (int size : new int[] {27182, 8, 1828, 45904}) {
            requests.add(StreamingInputCallRequest.newBuilder()
                    .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size]))).build());
        }
        Call call = connection.start(TestServiceGrpc.getStreamingInputCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 1, requests, true);

        assertThat(call.listener().awaitClose().status().isOk()).isTrue();
        assertThat(StreamingInputCallResponse.parseFrom(call.listener().awaitMessage()).getAggregatedPayloadSize())
                .isEqualTo(74922);
    }

    @Test
    void bidiStreamingPingPongs() throws Exception {
        Call call = connection.start(TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 100, List.of(), false);
        for (int i = 1; i <= 5; i++) {
            call.stream().writeMessage(TransportFixture.frame(StreamingOutputCallRequest.newBuilder()
                    .addResponseParameters(ResponseParameters.newBuilder().setSize(i * 100)).build()));
            call.stream().flush();
            byte[] reply = call.listener().awaitMessage();
            assertThat(StreamingOutputCallResponse.parseFrom(reply).getPayload().getBody().size()).isEqualTo(i * 100);
        }
        await(call.stream()::isReady, 10, "stream ready");
        call.stream().halfClose();

        assertThat(call.listener().awaitClose().status().isOk()).isTrue();
        assertThat(call.listener().onReady.get()).isPositive();
    }

    @Test
    void requestControlsDeliveryAndBuffersNoMoreThanTheWindow() throws Exception {
        int count = 40;
        int size = 64 * 1024;
        StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
        for (int i = 0; i < count; i++) {
            request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
        }
        Call call = connection.start(TestServiceGrpc.getStreamingOutputCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 1, List.of(request.build()), true);
        NettyClientStream stream = (NettyClientStream) call.stream();
        NettyClientTransport transport = (NettyClientTransport) connection.transport();

        call.listener().awaitMessage();
        await(() -> buffered(transport, stream) > TransportOptions.DEFAULT_FLOW_CONTROL_WINDOW / 2, 10, "window filled");
        assertThat(call.listener().messages).isEmpty();
        assertThat(buffered(transport, stream)).isLessThanOrEqualTo(TransportOptions.DEFAULT_FLOW_CONTROL_WINDOW);

        // A wanted message's bytes are returned early, so the bound is the window plus one message.
        long bound = TransportOptions.DEFAULT_FLOW_CONTROL_WINDOW + size + 16;
        for (int received = 1; received < count; received++) {
            stream.request(1);
            call.listener().awaitMessage();
            assertThat(buffered(transport, stream)).isLessThanOrEqualTo(bound);
        }
        assertThat(call.listener().awaitClose().status().isOk()).isTrue();
    }

    private static long buffered(NettyClientTransport transport, NettyClientStream stream) {
        try {
            return transport.eventLoop().submit(stream::bufferedInboundBytes).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void gzipCompressionWorksBothWays() throws Exception {
        SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(100_000)
                .setResponseCompressed(BoolValue.newBuilder().setValue(true))
                .setExpectCompressed(BoolValue.newBuilder().setValue(true))
                .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[50_000]))).build();
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connection.transport(), TestServiceGrpc.getUnaryCallMethod(), new Metadata(),
                CallOptions.DEFAULT.withCompression("gzip"), -1, listener);
        stream.request(1);
        stream.writeMessage(MessageFramer.frame(io.netty.buffer.ByteBufAllocator.DEFAULT,
                TestServiceGrpc.getUnaryCallMethod().streamRequest(request),
                io.grpc.CompressorRegistry.getDefaultInstance().lookupCompressor("gzip"), Integer.MAX_VALUE));
        stream.halfClose();

        Closed closed = listener.awaitClose();
        assertThat(closed.status().getCode()).isEqualTo(Status.Code.OK);
        assertThat(SimpleResponse.parseFrom(listener.awaitMessage()).getPayload().getBody().size()).isEqualTo(100_000);
        Metadata headers = listener.headers.get();
        assertThat(headers.get(Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("gzip");
    }

    @Test
    void deadlineTravelsAsGrpcTimeout() throws Exception {
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connection.transport(), TestServiceGrpc.getEmptyCallMethod(), new Metadata(),
                CallOptions.DEFAULT, TimeUnit.SECONDS.toNanos(30), listener);
        stream.request(1);
        stream.writeMessage(TransportFixture.frame(io.grpc.testing.integration.EmptyProtos.Empty.getDefaultInstance()));
        stream.halfClose();

        assertThat(listener.awaitClose().status().isOk()).isTrue();
        assertThat(backend.lastDeadline()).isNotNull();
        long remaining = backend.lastDeadline().timeRemaining(TimeUnit.SECONDS);
        assertThat(remaining).isBetween(20L, 30L);
    }

    @Test
    void metadataRoundTripsAndReservedHeadersAreIgnored() throws Exception {
        Metadata.Key<String> echoInitial = Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
        Metadata.Key<byte[]> echoTrailing = Metadata.Key.of("x-grpc-test-echo-trailing-bin", Metadata.BINARY_BYTE_MARSHALLER);
        Metadata headers = new Metadata();
        headers.put(echoInitial, "hello ascii");
        byte[] binary = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
        headers.put(echoTrailing, binary);
        headers.put(Metadata.Key.of("content-type", Metadata.ASCII_STRING_MARSHALLER), "text/plain");
        headers.put(Metadata.Key.of("te", Metadata.ASCII_STRING_MARSHALLER), "gzip");
        headers.put(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER), "1n");

        Call call = connection.start(TestServiceGrpc.getUnaryCallMethod(), CallOptions.DEFAULT, headers, 1,
                List.of(SimpleRequest.getDefaultInstance()), true);

        Closed closed = call.listener().awaitClose();
        assertThat(closed.status().isOk()).isTrue();
        assertThat(call.listener().headers.get().get(echoInitial)).isEqualTo("hello ascii");
        assertThat(closed.trailers().get(echoTrailing)).isEqualTo(binary);
        Metadata seen = backend.lastHeaders();
        assertThat(seen.getAll(Metadata.Key.of("content-type", Metadata.ASCII_STRING_MARSHALLER)))
                .containsExactly("application/grpc");
        assertThat(seen.get(Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER)))
                .contains(NettyTransportFactory.USER_AGENT);
        assertThat(backend.lastDeadline()).isNull();
    }

    @Test
    void responseOverTheDefaultLimitFailsResourceExhausted() throws Exception {
        Call call = connection.unary(TestServiceGrpc.getUnaryCallMethod(),
                SimpleRequest.newBuilder().setResponseSize(5 * 1024 * 1024).build());

        Closed closed = call.listener().awaitClose();

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(closed.status().getDescription()).contains("4194304");
        assertThat(call.listener().messages).isEmpty();
    }

    @Test
    void responseUnderARaisedLimitSucceeds() throws Exception {
        Call call = connection.start(TestServiceGrpc.getUnaryCallMethod(),
                CallOptions.DEFAULT.withMaxInboundMessageSize(8 * 1024 * 1024), new Metadata(), 1,
                List.of(SimpleRequest.newBuilder().setResponseSize(5 * 1024 * 1024).build()), true);

        assertThat(call.listener().awaitClose().status().isOk()).isTrue();
        assertThat(SimpleResponse.parseFrom(call.listener().awaitMessage()).getPayload().getBody().size())
                .isEqualTo(5 * 1024 * 1024);
    }

    @Test
    void cancelResetsTheStreamAndTheServerSeesIt() throws Exception {
        int before = backend.cancellations();
        Call call = connection.start(TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 1, List.of(StreamingOutputCallRequest.newBuilder()
                        .addResponseParameters(ResponseParameters.newBuilder().setSize(10)).build()), false);
        call.listener().awaitMessage();

        call.stream().cancel(Status.CANCELLED.withDescription("test cancels"));

        Closed closed = call.listener().awaitClose();
        assertThat(closed.status().getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(closed.status().getDescription()).isEqualTo("test cancels");
        await(() -> backend.cancellations() > before, 10, "server to see the cancellation");
        call.stream().cancel(Status.CANCELLED);
        assertThat(call.listener().closeCount.get()).isEqualTo(1);
    }

    @Test
    void thousandConcurrentStreamsOnOneTransport() throws Exception {
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 1000; i++) {
            calls.add(connection.unary(TestServiceGrpc.getUnaryCallMethod(),
                    SimpleRequest.newBuilder().setResponseSize(i % 100).build()));
        }
        for (Call call : calls) {
            assertThat(call.listener().awaitClose().status().getCode()).isEqualTo(Status.Code.OK);
            assertThat(call.listener().messages).hasSize(1);
        }
    }
}
