package dev.lbchannel;

import dev.lbchannel.testing.RecordingCallListener;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a call costs its executor when callbacks do not run on the event loop: the headers,
 * message and trailers that one socket read brings reach the executor as one task (the read's
 * end hands them over together), and a call that sends one message hears no {@code onReady}, as
 * with grpc-java's calls, since it has no flow control to wait for.
 */
@Timeout(60)
class CallbackHandOffTests {

    private final AtomicInteger tasks = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private TestBackend backend;
    private LbChannel channel;

    @BeforeEach
    void start() {
        backend = TestBackend.start(false);
        channel = LbChannelBuilder.forTarget("127.0.0.1:" + backend.port()).usePlaintext()
                .executor(task -> {
                    tasks.incrementAndGet();
                    pool.execute(task);
                })
                .build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        backend.close();
        pool.shutdownNow();
    }

    @Test
    void aUnaryCallsCallbacksReachTheExecutorAsOneTask() {
        unary(); // connected, warm
        tasks.set(0);
        int calls = 200;
        for (int i = 0; i < calls; i++) {
            RecordingCallListener<?> listener = unary();
            assertThat(listener.messages()).hasSize(1);
            assertThat(listener.readyCount()).as("onReady of a unary call").isZero();
        }
        // One read usually carries the whole response (grpc-java's server flushes it at once);
        // a loaded machine may split one now and then. Without the batching it is three per call.
        assertThat(tasks.get()).as("executor tasks for %d unary calls", calls).isLessThanOrEqualTo(calls * 3 / 2);
    }

    @Test
    void aStreamingCallStillHearsOnReady() {
        ClientCall<StreamingOutputCallRequest, ?> call = channel.newCall(TestServiceGrpc.getFullDuplexCallMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        RecordingCallListener<Object> listener = new RecordingCallListener<>();
        @SuppressWarnings({"unchecked", "rawtypes"})
        ClientCall<StreamingOutputCallRequest, Object> raw = (ClientCall) call;
        raw.start(listener, new Metadata());
        raw.halfClose();
        assertThat(listener.awaitStatus().getCode()).isEqualTo(Status.Code.OK);
        assertThat(listener.readyCount()).as("onReady of a bidi call").isPositive();
    }

    private RecordingCallListener<?> unary() {
        ClientCall<SimpleRequest, Object> call = rawCall();
        RecordingCallListener<Object> listener = new RecordingCallListener<>();
        call.start(listener, new Metadata());
        call.request(2);
        call.sendMessage(SimpleRequest.getDefaultInstance());
        call.halfClose();
        assertThat(listener.awaitStatus().getCode()).isEqualTo(Status.Code.OK);
        return listener;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ClientCall<SimpleRequest, Object> rawCall() {
        return (ClientCall) channel.newCall(TestServiceGrpc.getUnaryCallMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    }
}
