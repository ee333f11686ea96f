package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RecordingCallListener;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call belongs to the {@link Context} it was created in: cancelling that context cancels the
 * call with the context's reason (a server fanning out stops its downstream calls when its own
 * client leaves), and the listener runs with that context attached.
 */
@Timeout(60)
class ContextCancellationTests {

    private static final Context.Key<String> REQUEST_ID = Context.key("request-id");

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

    private RecordingCallListener<StreamingOutputCallResponse> startSlowStream(Context context) {
        RecordingCallListener<StreamingOutputCallResponse> listener = new RecordingCallListener<>();
        context.run(() -> {
            ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
                    channel.newCall(TestServiceGrpc.getStreamingOutputCallMethod(), CallOptions.DEFAULT);
            call.start(listener, new Metadata());
            call.request(100);
            StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
            for (int i = 0; i < 100; i++) {
                request.addResponseParameters(ResponseParameters.newBuilder().setSize(8).setIntervalUs(100_000));
            }
            call.sendMessage(request.build());
            call.halfClose();
        });
        return listener;
    }

    @Test
    void cancellingTheCallersContextCancelsTheCallWithItsCause() {
        Context.CancellableContext context = Context.current().withCancellation();
        RecordingCallListener<StreamingOutputCallResponse> listener = startSlowStream(context);
        Await.until("the first message", () -> !listener.messages().isEmpty());

        IllegalStateException why = new IllegalStateException("the server's own client went away");
        context.cancel(why);

        Status status = listener.awaitStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(status.getCause()).isSameAs(why);
        Await.until("the server sees the cancellation", () -> backend.cancellations() >= 1);
        assertThat(listener.closeCount()).isEqualTo(1);
    }

    @Test
    void aCallStartedInACancelledContextClosesAtOnce() {
        Context.CancellableContext context = Context.current().withCancellation();
        context.cancel(null);

        Status status = startSlowStream(context).awaitStatus();

        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(backend.callsStarted()).isZero();
    }

    @Test
    void aContextDeadlineEndsTheCallDeadlineExceeded() {
        ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);
        try {
            Context.CancellableContext context = Context.current().withDeadline(
                    Deadline.after(300, TimeUnit.MILLISECONDS), timer);
            assertThat(startSlowStream(context).awaitStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void listenerCallbacksRunInTheCallsContext() throws Exception {
        CompletableFuture<String> seenInOnClose = new CompletableFuture<>();
        Context.current().withValue(REQUEST_ID, "r-42").run(() -> {
            ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(
                    TestServiceGrpc.getStreamingOutputCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    seenInOnClose.complete(REQUEST_ID.get());
                }
            }, new Metadata());
            call.sendMessage(StreamingOutputCallRequest.getDefaultInstance());
            call.halfClose();
        });
        assertThat(seenInOnClose.get(20, TimeUnit.SECONDS)).isEqualTo("r-42");
    }
}
