package dev.lbchannel.interop;

import com.google.protobuf.ByteString;
import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.interop.InteropServer.RequestCompression;
import dev.lbchannel.transport.TlsContexts;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.UnimplementedServiceGrpc;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

import javax.net.ssl.TrustManagerFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The client side of gRPC's interop test cases that need no cloud credentials, as
 * interop-test-descriptions.md specifies them, through a {@code passthrough:///127.0.0.1:PORT}
 * channel to an interop server. Subclasses choose the server (grpc-java's, gRPC C-core's or
 * grpc-go's) and plaintext or TLS. Where a server of another stack legitimately does less than
 * grpc-java's (compression), the case says so and checks what that server must do instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class InteropTestCases {

    private static final Metadata.Key<String> ECHO_INITIAL =
            Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<byte[]> ECHO_TRAILING =
            Metadata.Key.of("x-grpc-test-echo-trailing-bin", Metadata.BINARY_BYTE_MARSHALLER);

    private static final Metadata.Key<String> GRPC_ENCODING =
            Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

    private @Nullable InteropServer server;
    /** Why the server could not start, when its stack is not installed. */
    private @Nullable String unavailable;
    private @Nullable LbChannel channel;

    /** Starts the server, speaking TLS (its CA in {@link InteropServer#trust()}) or plaintext h2c. */
    abstract InteropServer startServer();

    /** Adjusts the channel's builder: the transport under test, for one. */
    LbChannelBuilder configure(LbChannelBuilder builder) {
        return builder;
    }

    @BeforeAll
    void start() {
        try {
            server = startServer();
        } catch (TestAbortedException e) {
            // Skipped on each test (below): Surefire reports a skip on the class as no test at all.
            unavailable = e.getMessage();
            return;
        }
        LbChannelBuilder builder = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.port());
        TrustManagerFactory trust = server.trust();
        channel = configure(trust != null ? builder.sslContext(TlsContexts.forClient(trust)) : builder.usePlaintext())
                .build();
    }

    @BeforeEach
    void requireServer() {
        assumeTrue(unavailable == null, unavailable);
    }

    @AfterAll
    void stop() throws InterruptedException {
        // The server may be missing: a test skipped for a stack that is not installed.
        try {
            if (channel != null) {
                channel.shutdown();
                assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private LbChannel channel() {
        return channel;
    }

    private InteropServer server() {
        return server;
    }

    private TestServiceGrpc.TestServiceBlockingStub blocking() {
        return TestServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private TestServiceGrpc.TestServiceStub async() {
        return TestServiceGrpc.newStub(channel()).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static Payload zeros(int size) {
        return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
    }

    @Test
    void emptyUnary() {
        assertThat(blocking().emptyCall(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());
    }

    @Test
    void largeUnary() {
        SimpleResponse response = blocking().unaryCall(SimpleRequest.newBuilder()
                .setResponseSize(314159).setPayload(zeros(271828)).build());
        assertThat(response.getPayload()).isEqualTo(zeros(314159));
    }

    @Test
    void clientCompressedUnary() {
        SimpleRequest expectCompressed = SimpleRequest.newBuilder().setResponseSize(314159)
                .setPayload(zeros(271828)).setExpectCompressed(BoolValue.newBuilder().setValue(true)).build();
        SimpleRequest expectPlain = expectCompressed.toBuilder()
                .setExpectCompressed(BoolValue.newBuilder().setValue(false)).build();
        if (server().requestCompression() == RequestCompression.REJECTED) {
            assertRejectsGzip(() -> blocking().withCompression("gzip").unaryCall(expectCompressed));
            assertThat(blocking().unaryCall(expectPlain).getPayload()).isEqualTo(zeros(314159));
            return;
        }
        // Neither grpc-java's server nor C-core's Python API implements the expect_compressed probe,
        // so the test checks what reached the server instead: the grpc-encoding header (where the
        // server shows it) and a payload it could read.
        assertThat(blocking().withCompression("gzip").unaryCall(expectCompressed).getPayload())
                .isEqualTo(zeros(314159));
        assertRequestEncoding("gzip");

        assertThat(blocking().unaryCall(expectPlain).getPayload()).isEqualTo(zeros(314159));
        assertRequestEncoding(null);
    }

    /**
     * A server without gzip (grpc-go's interop server registers no gzip codec) must answer a gzip
     * request UNIMPLEMENTED, as gRPC's compression.md says.
     */
    private static void assertRejectsGzip(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    /** Checks the grpc-encoding that reached the server, where it shows it (grpc-java's does; C-core's does not). */
    private void assertRequestEncoding(@Nullable String encoding) {
        if (server().requestCompression() == RequestCompression.OBSERVED) {
            assertThat(server().lastRequestHeaders().get(GRPC_ENCODING)).isEqualTo(encoding);
        }
    }

    @Test
    void serverCompressedUnary() {
        for (boolean compressed : new boolean[] {true, false}) {
            SimpleResponse response = blocking().unaryCall(SimpleRequest.newBuilder()
                    .setResponseCompressed(BoolValue.newBuilder().setValue(compressed))
                    .setResponseSize(314159).setPayload(zeros(271828)).build());
            assertThat(response.getPayload()).isEqualTo(zeros(314159));
        }
    }

    @Test
    void clientStreaming() throws Exception {
        StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
        StreamObserver<StreamingInputCallRequest> requests = async().streamingInputCall(responses);
        for (int size : new int[] {27182, 8, 1828, 45904}) {
            requests.onNext(StreamingInputCallRequest.newBuilder().setPayload(zeros(size)).build());
        }
        requests.onCompleted();
        assertThat(responses.awaitCompletion()).isNull();
        assertThat(responses.values).singleElement()
                .extracting(StreamingInputCallResponse::getAggregatedPayloadSize).isEqualTo(74922);
    }

    @Test
    void clientCompressedStreaming() throws Exception {
        if (server().requestCompression() == RequestCompression.REJECTED) {
            // No gzip codec on the server: the compressed stream must be refused (see assertRejectsGzip).
            StreamRecorder<StreamingInputCallResponse> rejected = new StreamRecorder<>();
            StreamObserver<StreamingInputCallRequest> requests = async().withCompression("gzip")
                    .streamingInputCall(rejected);
            requests.onNext(StreamingInputCallRequest.newBuilder().setPayload(zeros(27182)).build());
            requests.onCompleted();
            assertThat(Status.fromThrowable(rejected.awaitCompletion()).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
            return;
        }
        StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
        AtomicReference<ClientCallStreamObserver<StreamingInputCallRequest>> call = new AtomicReference<>();
        StreamObserver<StreamingInputCallRequest> requests = async().withCompression("gzip")
                .streamingInputCall(new ForwardingResponseObserver<>(responses, call));
        requests.onNext(StreamingInputCallRequest.newBuilder().setPayload(zeros(27182))
                .setExpectCompressed(BoolValue.newBuilder().setValue(true)).build());
        call.get().setMessageCompression(false);
        requests.onNext(StreamingInputCallRequest.newBuilder().setPayload(zeros(45904))
                .setExpectCompressed(BoolValue.newBuilder().setValue(false)).build());
        requests.onCompleted();
        assertThat(responses.awaitCompletion()).isNull();
        assertThat(responses.values).singleElement()
                .extracting(StreamingInputCallResponse::getAggregatedPayloadSize).isEqualTo(73086);
        assertRequestEncoding("gzip");
    }

    @Test
    void serverStreaming() throws Exception {
        int[] sizes = {31415, 9, 2653, 58979};
        StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
        for (int size : sizes) {
            request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
        }
        StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
        async().streamingOutputCall(request.build(), responses);
        assertThat(responses.awaitCompletion()).isNull();
        assertThat(responses.values).extracting(r -> r.getPayload().getBody().size())
                .containsExactly(31415, 9, 2653, 58979);
    }

    @Test
    void serverCompressedStreaming() throws Exception {
        StreamingOutputCallRequest request = StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(31415)
                        .setCompressed(BoolValue.newBuilder().setValue(true)))
                .addResponseParameters(ResponseParameters.newBuilder().setSize(92653)
                        .setCompressed(BoolValue.newBuilder().setValue(false)))
                .build();
        StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
        async().streamingOutputCall(request, responses);
        assertThat(responses.awaitCompletion()).isNull();
        assertThat(responses.values).extracting(r -> r.getPayload().getBody().size()).containsExactly(31415, 92653);
    }

    @Test
    void pingPong() throws Exception {
        int[] requestSizes = {27182, 8, 1828, 45904};
        int[] responseSizes = {31415, 9, 2653, 58979};
        StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
        StreamObserver<StreamingOutputCallRequest> requests = async().fullDuplexCall(responses);
        for (int i = 0; i < requestSizes.length; i++) {
            requests.onNext(StreamingOutputCallRequest.newBuilder()
                    .addResponseParameters(ResponseParameters.newBuilder().setSize(responseSizes[i]))
                    .setPayload(zeros(requestSizes[i])).build());
            assertThat(responses.next().getPayload()).isEqualTo(zeros(responseSizes[i]));
        }
        requests.onCompleted();
        assertThat(responses.awaitCompletion()).isNull();
    }

    @Test
    void emptyStream() throws Exception {
        StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
        async().fullDuplexCall(responses).onCompleted();
        assertThat(responses.awaitCompletion()).isNull();
        assertThat(responses.values).isEmpty();
    }

    @Test
    void cancelAfterBegin() throws Exception {
        StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
        AtomicReference<ClientCallStreamObserver<StreamingInputCallRequest>> call = new AtomicReference<>();
        async().streamingInputCall(new ForwardingResponseObserver<>(responses, call));
        call.get().cancel("cancel_after_begin", null);
        assertThat(Status.fromThrowable(responses.awaitCompletion()).getCode()).isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void cancelAfterFirstResponse() throws Exception {
        StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
        AtomicReference<ClientCallStreamObserver<StreamingOutputCallRequest>> call = new AtomicReference<>();
        StreamObserver<StreamingOutputCallRequest> requests =
                async().fullDuplexCall(new ForwardingResponseObserver<>(responses, call));
        requests.onNext(StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(31415))
                .setPayload(zeros(27182)).build());
        assertThat(responses.next().getPayload()).isEqualTo(zeros(31415));
        call.get().cancel("cancel_after_first_response", null);
        assertThat(Status.fromThrowable(responses.awaitCompletion()).getCode()).isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void timeoutOnSleepingServer() throws Exception {
        StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
        StreamObserver<StreamingOutputCallRequest> requests = TestServiceGrpc.newStub(channel())
                .withDeadlineAfter(1, TimeUnit.MILLISECONDS).fullDuplexCall(responses);
        requests.onNext(StreamingOutputCallRequest.newBuilder().setPayload(zeros(27182)).build());
        assertThat(Status.fromThrowable(responses.awaitCompletion()).getCode())
                .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void customMetadata() throws Exception {
        Metadata sent = new Metadata();
        sent.put(ECHO_INITIAL, "test_initial_metadata_value");
        sent.put(ECHO_TRAILING, new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab});

        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        SimpleResponse response = blocking()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .unaryCall(SimpleRequest.newBuilder().setResponseSize(314159).setPayload(zeros(271828)).build());
        assertThat(response.getPayload()).isEqualTo(zeros(314159));
        assertEchoed(headers.get(), trailers.get());

        headers.set(null);
        trailers.set(null);
        StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
        StreamObserver<StreamingOutputCallRequest> requests = async()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .fullDuplexCall(responses);
        requests.onNext(StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(314159))
                .setPayload(zeros(271828)).build());
        requests.onCompleted();
        assertThat(responses.awaitCompletion()).isNull();
        assertThat(responses.values).singleElement().extracting(r -> r.getPayload().getBody().size()).isEqualTo(314159);
        assertEchoed(headers.get(), trailers.get());
    }

    private static void assertEchoed(Metadata headers, Metadata trailers) {
        assertThat(headers.get(ECHO_INITIAL)).isEqualTo("test_initial_metadata_value");
        assertThat(trailers.get(ECHO_TRAILING)).containsExactly(0xab, 0xab, 0xab);
    }

    @Test
    void statusCodeAndMessage() throws Exception {
        assertEchoesStatus("test status message");
    }

    @Test
    void specialStatusMessage() throws Exception {
        assertEchoesStatus("\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n");
    }

    private void assertEchoesStatus(String message) throws Exception {
        EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage(message).build();
        assertThatThrownBy(() -> blocking().unaryCall(SimpleRequest.newBuilder().setResponseStatus(echo).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                });

        StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
        StreamObserver<StreamingOutputCallRequest> requests = async().fullDuplexCall(responses);
        requests.onNext(StreamingOutputCallRequest.newBuilder().setResponseStatus(echo).build());
        requests.onCompleted();
        Status status = Status.fromThrowable(responses.awaitCompletion());
        assertThat(status.getCode()).isEqualTo(Status.Code.UNKNOWN);
        assertThat(status.getDescription()).isEqualTo(message);
    }

    @Test
    void unimplementedMethod() {
        assertThatThrownBy(() -> blocking().unimplementedCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void unimplementedService() {
        assertThatThrownBy(() -> UnimplementedServiceGrpc.newBlockingStub(channel())
                .withDeadlineAfter(20, TimeUnit.SECONDS).unimplementedCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void rawClientCallSeesHeadersMessagesAndTrailersInOrder() throws Exception {
        MethodDescriptor<SimpleRequest, SimpleResponse> method = TestServiceGrpc.getUnaryCallMethod();
        ClientCall<SimpleRequest, SimpleResponse> call = channel().newCall(method,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        SimpleResponse response = ClientCalls.blockingUnaryCall(call,
                SimpleRequest.newBuilder().setResponseSize(10).build());
        assertThat(response.getPayload().getBody().size()).isEqualTo(10);
        assertThat(List.of(channel().snapshot().calls().succeeded())).allMatch(n -> n >= 1);
    }

    /** Passes responses to a recorder and hands the test the call, for cancel and compression. */
    private static final class ForwardingResponseObserver<ReqT, RespT> implements ClientResponseObserver<ReqT, RespT> {
        private final StreamRecorder<RespT> recorder;
        private final AtomicReference<ClientCallStreamObserver<ReqT>> call;

        ForwardingResponseObserver(StreamRecorder<RespT> recorder, AtomicReference<ClientCallStreamObserver<ReqT>> call) {
            this.recorder = recorder;
            this.call = call;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
            call.set(requestStream);
        }

        @Override
        public void onNext(RespT value) {
            recorder.onNext(value);
        }

        @Override
        public void onError(Throwable t) {
            recorder.onError(t);
        }

        @Override
        public void onCompleted() {
            recorder.onCompleted();
        }
    }
}
