package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RecordingCallListener;
import dev.lbchannel.testing.StatusObserver;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link ClientCall} contract as grpc-java's own call keeps it, on a real grpc-java server:
 * misuse throws what grpc-java throws, a cancel before start closes the call when it starts, and
 * a listener that throws cancels its call, which then closes once with CANCELLED and the cause.
 */
@Timeout(60)
class ClientCallContractTests {

    private TestBackend backend;
    private LbChannel channel;

    @BeforeEach
    void start() {
        backend = TestBackend.plaintext();
        channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        backend.close();
    }

    private ClientCall<SimpleRequest, SimpleResponse> unary() {
        return channel.newCall(TestServiceGrpc.getUnaryCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    }

    @Test
    void misuseThrowsWhatGrpcJavasCallThrows() {
        ClientCall<SimpleRequest, SimpleResponse> call = unary();
        assertThatThrownBy(() -> call.request(1)).isInstanceOf(IllegalStateException.class).hasMessage("Not started");
        assertThatThrownBy(() -> call.sendMessage(SimpleRequest.getDefaultInstance()))
                .isInstanceOf(IllegalStateException.class).hasMessage("Not started");
        assertThatThrownBy(call::halfClose).isInstanceOf(IllegalStateException.class).hasMessage("Not started");

        RecordingCallListener<SimpleResponse> listener = new RecordingCallListener<>();
        call.start(listener, new Metadata());
        assertThatThrownBy(() -> call.start(listener, new Metadata()))
                .isInstanceOf(IllegalStateException.class).hasMessage("Already started");
        assertThatThrownBy(() -> call.request(-1)).isInstanceOf(IllegalArgumentException.class);
        call.request(1);
        call.sendMessage(SimpleRequest.getDefaultInstance());
        call.halfClose();
        assertThat(call.isReady()).isFalse();
        assertThatThrownBy(() -> call.sendMessage(SimpleRequest.getDefaultInstance()))
                .isInstanceOf(IllegalStateException.class).hasMessage("Call was half-closed");
        assertThatThrownBy(call::halfClose).isInstanceOf(IllegalStateException.class)
                .hasMessage("Call already half-closed");
        assertThat(listener.awaitStatus().isOk()).isTrue();
        assertThat(listener.closeCount()).isEqualTo(1);
    }

    @Test
    void sendingAfterCancelThrowsAndTheCallClosesCancelledOnce() {
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(
                TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        RecordingCallListener<StreamingOutputCallResponse> listener = new RecordingCallListener<>();
        call.start(listener, new Metadata());
        call.cancel("enough", new IllegalStateException("the user left"));
        call.cancel("again", null);
        assertThatThrownBy(() -> call.sendMessage(StreamingOutputCallRequest.getDefaultInstance()))
                .isInstanceOf(IllegalStateException.class).hasMessage("Call was cancelled");
        assertThatThrownBy(call::halfClose).isInstanceOf(IllegalStateException.class).hasMessage("Call was cancelled");

        Status status = listener.awaitStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(status.getDescription()).isEqualTo("enough");
        assertThat(status.getCause()).hasMessage("the user left");
        assertThat(listener.closeCount()).isEqualTo(1);
    }

    @Test
    void cancelBeforeStartClosesTheCallCancelledWhenItStarts() {
        ClientCall<SimpleRequest, SimpleResponse> call = unary();
        call.cancel("changed my mind", null);
        RecordingCallListener<SimpleResponse> listener = new RecordingCallListener<>();
        call.start(listener, new Metadata());
        call.request(1);
        call.sendMessage(SimpleRequest.getDefaultInstance()); // moot, but the stub's usual sequence must not throw
        call.halfClose();

        Status status = listener.awaitStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(status.getDescription()).isEqualTo("changed my mind");
        assertThat(listener.closeCount()).isEqualTo(1);
        assertThat(backend.callsStarted()).isZero();
    }

    @Test
    void listenerThrowingFromOnHeadersCancelsTheCall() {
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(
                TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        IllegalStateException boom = new IllegalStateException("boom in onHeaders");
        RecordingCallListener<StreamingOutputCallResponse> listener = new RecordingCallListener<>() {
            @Override
            public void onHeaders(Metadata responseHeaders) {
                throw boom;
            }
        };
        call.start(listener, new Metadata());
        call.request(1);
        call.sendMessage(echo(8));

        Status status = listener.awaitStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(status.getDescription()).isEqualTo("Failed to read headers.");
        assertThat(status.getCause()).isSameAs(boom);
        assertThat(listener.messages()).isEmpty();
        Await.until("the server sees the cancellation", () -> backend.cancellations() >= 1);
        assertThat(listener.closeCount()).isEqualTo(1);
    }

    @Test
    void throwingOnNextOfAServerStreamingStubEndsTheCallCancelled() throws Exception {
        var stub = TestServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
        for (int i = 0; i < 50; i++) {
            request.addResponseParameters(ResponseParameters.newBuilder().setSize(1024).setIntervalUs(20_000));
        }
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        IllegalArgumentException boom = new IllegalArgumentException("cannot handle this response");
        stub.streamingOutputCall(request.build(), new StreamObserver<>() {
            @Override
            public void onNext(StreamingOutputCallResponse value) {
                throw boom;
            }

            @Override
            public void onError(Throwable t) {
                failed.complete(t);
            }

            @Override
            public void onCompleted() {
                failed.complete(null);
            }
        });

        Status status = Status.fromThrowable(failed.get(10, TimeUnit.SECONDS));
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(status.getDescription()).isEqualTo("Failed to read message.");
        assertThat(status.getCause()).isSameAs(boom);
        Await.until("the server sees the cancellation", () -> backend.cancellations() >= 1);
    }

    @Test
    void listenerThrowingFromOnReadyCancelsTheCall() {
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(
                TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        RecordingCallListener<StreamingOutputCallResponse> listener = new RecordingCallListener<>() {
            @Override
            public void onReady() {
                throw new UnsupportedOperationException("not ready for onReady");
            }
        };
        call.start(listener, new Metadata());

        Status status = listener.awaitStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(status.getDescription()).isEqualTo("Failed to call onReady.");
        assertThat(status.getCause()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(listener.closeCount()).isEqualTo(1);
    }

    @Test
    void listenerThrowingFromOnCloseIsHeardOnceAndTheChannelGoesOn() {
        ClientCall<SimpleRequest, SimpleResponse> call = unary();
        RecordingCallListener<SimpleResponse> listener = new RecordingCallListener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                super.onClose(status, trailers);
                throw new IllegalStateException("boom in onClose");
            }
        };
        call.start(listener, new Metadata());
        call.request(1);
        call.sendMessage(SimpleRequest.getDefaultInstance());
        call.halfClose();

        assertThat(listener.awaitStatus().isOk()).isTrue();
        assertThat(listener.closeCount()).isEqualTo(1);
        assertThat(TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance())).isNotNull();
    }

    private static StreamingOutputCallRequest echo(int size) {
        return StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(size)).build();
    }
}
