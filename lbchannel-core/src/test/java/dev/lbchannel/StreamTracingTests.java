package dev.lbchannel;

import com.google.protobuf.ByteString;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import dev.lbchannel.testing.RecordingStreamTracer;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.handler.codec.http2.Http2Error;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Each attempt of a call reports to the {@link io.grpc.ClientStreamTracer}s its options name. */
@Timeout(60)
class StreamTracingTests {

    private TestBackend backend;
    private RawHttp2Server rawServer;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (backend != null) {
            backend.close();
        }
        if (rawServer != null) {
            rawServer.close();
        }
    }

    @Test
    void unaryCallIsOneAttemptWithItsMessageSizes() {
        backend = TestBackend.plaintext();
        RecordingStreamTracer.Factory factory = RecordingStreamTracer.factory();
        SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(300).setPayload(zeros(200)).build();

        SimpleResponse response = stub(factory).unaryCall(request);

        assertThat(factory.tracers()).hasSize(1);
        RecordingStreamTracer attempt = factory.tracers().get(0);
        Await.until("the attempt closed", () -> attempt.closedWith() != null);
        assertThat(attempt.info().getPreviousAttempts()).isZero();
        assertThat(attempt.info().isTransparentRetry()).isFalse();
        assertThat(attempt.events()).containsExactly("streamCreated", "outboundHeaders", "outboundMessage0",
                "inboundHeaders", "inboundMessage0", "inboundTrailers", "streamClosed");
        assertThat(attempt.outboundWireSize()).isEqualTo(request.getSerializedSize());
        assertThat(attempt.outboundUncompressedSize()).isEqualTo(request.getSerializedSize());
        assertThat(attempt.inboundWireSize()).isEqualTo(response.getSerializedSize());
        assertThat(attempt.inboundUncompressedSize()).isEqualTo(response.getSerializedSize());
        assertThat(attempt.closedWith().isOk()).isTrue();
    }

    @Test
    void gzipCallReportsWireSizesBelowUncompressedSizes() {
        backend = TestBackend.plaintext();
        RecordingStreamTracer.Factory factory = RecordingStreamTracer.factory();
        SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(4000).setPayload(zeros(3000))
                .setResponseCompressed(BoolValue.newBuilder().setValue(true)).build();

        SimpleResponse response = stub(factory).withCompression("gzip").unaryCall(request);

        RecordingStreamTracer attempt = factory.tracers().get(0);
        Await.until("the response was inflated and counted",
                () -> attempt.inboundUncompressedSize() == response.getSerializedSize());
        assertThat(attempt.outboundUncompressedSize()).isEqualTo(request.getSerializedSize());
        assertThat(attempt.outboundWireSize()).isPositive().isLessThan(request.getSerializedSize() / 4);
        assertThat(attempt.inboundWireSize()).isPositive().isLessThan(response.getSerializedSize() / 4);
    }

    @Test
    void refusedStreamGivesASecondAttemptMarkedTransparentRetry() {
        byte[] answer = "answer".getBytes(StandardCharsets.UTF_8);
        byte[] question = "question".getBytes(StandardCharsets.UTF_8);
        AtomicInteger seen = new AtomicInteger();
        rawServer = RawHttp2Server.start(exchange -> {
            if (seen.getAndIncrement() == 0) {
                exchange.rst(Http2Error.REFUSED_STREAM);
            } else {
                exchange.okResponse(exchange.streamId(), answer);
            }
        });
        channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + rawServer.address().getPort())
                .usePlaintext().build();
        RecordingStreamTracer.Factory factory = RecordingStreamTracer.factory();

        assertThat(ClientCalls.blockingUnaryCall(channel, RawMethods.UNARY, CallOptions.DEFAULT
                .withDeadlineAfter(20, TimeUnit.SECONDS).withStreamTracerFactory(factory), question)).isEqualTo(answer);

        List<RecordingStreamTracer> attempts = factory.tracers();
        assertThat(attempts).hasSize(2);
        Await.until("both attempts closed", () -> attempts.get(1).closedWith() != null);
        RecordingStreamTracer refused = attempts.get(0);
        RecordingStreamTracer retry = attempts.get(1);
        assertThat(refused.info().getPreviousAttempts()).isZero();
        assertThat(refused.info().isTransparentRetry()).isFalse();
        assertThat(refused.closedWith().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.outboundWireSize()).isEqualTo(question.length);
        assertThat(retry.info().getPreviousAttempts()).isZero(); // a transparent retry is no retry attempt (gRFC A6)
        assertThat(retry.info().isTransparentRetry()).isTrue();
        assertThat(retry.events()).contains("outboundMessage0", "inboundMessage0").endsWith("streamClosed");
        assertThat(retry.outboundWireSize()).isEqualTo(question.length);
        assertThat(retry.inboundWireSize()).isEqualTo(answer.length);
        assertThat(retry.closedWith().isOk()).isTrue();
    }

    private TestServiceGrpc.TestServiceBlockingStub stub(RecordingStreamTracer.Factory factory) {
        channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port()).usePlaintext().build();
        Channel traced = ClientInterceptors.intercept(channel, new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                return next.newCall(method, options.withStreamTracerFactory(factory));
            }
        });
        return TestServiceGrpc.newBlockingStub(traced).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static Payload zeros(int size) {
        return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
    }
}
