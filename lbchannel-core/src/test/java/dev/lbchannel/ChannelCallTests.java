package dev.lbchannel;

import com.google.protobuf.ByteString;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.StatusObserver;
import dev.lbchannel.testing.TcpProxy;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Calls on one channel to a real grpc-java server: limits, load, deadlines, shutdown, failures. */
@Timeout(60)
class ChannelCallTests {

    private TestBackend backend;
    private final List<LbChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() {
        backend = TestBackend.plaintext();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (LbChannel channel : channels) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backend.close();
    }

    private LbChannel channel(UnaryOperator<LbChannelBuilder> options) {
        LbChannel channel = options.apply(LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port())
                .usePlaintext()).build();
        channels.add(channel);
        return channel;
    }

    private static SimpleRequest responseOf(int size) {
        return SimpleRequest.newBuilder().setResponseSize(size).build();
    }

    @Test
    void responseOverTheInboundLimitFailsResourceExhaustedAndFitsWhenRaised() {
        SimpleRequest fiveMiB = responseOf(5 * 1024 * 1024);
        var small = TestServiceGrpc.newBlockingStub(channel(b -> b)).withDeadlineAfter(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> small.unaryCall(fiveMiB))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

        var large = TestServiceGrpc.newBlockingStub(channel(b -> b.maxInboundMessageSize(8 * 1024 * 1024)))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
        assertThat(large.unaryCall(fiveMiB).getPayload().getBody().size()).isEqualTo(5 * 1024 * 1024);
    }

    @Test
    void thousandConcurrentCallsOnOneChannelAllSucceed() throws Exception {
        var stub = TestServiceGrpc.newFutureStub(channel(b -> b)).withDeadlineAfter(30, TimeUnit.SECONDS);
        List<com.google.common.util.concurrent.ListenableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(stub.unaryCall(responseOf(64)));
        }
        for (var call : calls) {
            call.get(30, TimeUnit.SECONDS);
        }
        assertThat(channels.get(0).snapshot().calls().succeeded()).isEqualTo(1000);
    }

    @Test
    void deadlineCancelsTheStreamAndTheServerSeesIt() throws Exception {
        var stub = TestServiceGrpc.newStub(channel(b -> b)).withDeadlineAfter(200, TimeUnit.MILLISECONDS);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        stub.fullDuplexCall(new StatusObserver<>(closed))
                .onNext(StreamingOutputCallRequest.newBuilder().setPayload(Payload.newBuilder()
                        .setBody(ByteString.copyFrom(new byte[10]))).build());
        assertThat(closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(backend.lastDeadline()).isNotNull();
        Await.until("the server sees the cancellation", () -> backend.cancellations() >= 1);
    }

    @Test
    void gracefulServerShutdownLetsInFlightStreamsFinish() throws Exception {
        LbChannel channel = channel(b -> b);
        var stub = TestServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        List<CompletableFuture<Status>> streams = new ArrayList<>();
        List<StreamObserver<StreamingOutputCallRequest>> requests = new ArrayList<>();
        AtomicInteger responses = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            CompletableFuture<Status> closed = new CompletableFuture<>();
            streams.add(closed);
            requests.add(stub.fullDuplexCall(new StatusObserver<>(closed, responses)));
        }
        StreamingOutputCallRequest ping = StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(8)).build();
        requests.forEach(r -> r.onNext(ping));
        Await.until("every stream answered once", () -> responses.get() == 20);

        backend.shutdown();    // GOAWAY: accepted streams go on
        requests.forEach(r -> r.onNext(ping));
        requests.forEach(StreamObserver::onCompleted);
        for (CompletableFuture<Status> closed : streams) {
            assertThat(closed.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        }
        assertThat(responses).hasValue(40);
    }

    @Test
    void killedServerFailsInFlightCallsUnavailable() throws Exception {
        TcpProxy proxy = new TcpProxy(backend.address());
        LbChannel channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + proxy.port()).usePlaintext().build();
        channels.add(channel);
        var stub = TestServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        AtomicInteger responses = new AtomicInteger();
        StreamObserver<StreamingOutputCallRequest> requests = stub.fullDuplexCall(new StatusObserver<>(closed, responses));
        requests.onNext(StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(8)).build());
        Await.until("the stream is open", () -> responses.get() == 1);
        proxy.kill();
        assertThat(closed.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        proxy.close();
    }

    @Test
    void shutdownLetsInFlightCallsFinishAndFailsNewOnes() throws Exception {
        LbChannel channel = channel(b -> b);
        var stub = TestServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        AtomicInteger responses = new AtomicInteger();
        StreamObserver<StreamingOutputCallRequest> requests = stub.fullDuplexCall(new StatusObserver<>(closed, responses));
        StreamingOutputCallRequest ping = StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(8)).build();
        requests.onNext(ping);
        Await.until("the stream is open", () -> responses.get() == 1);

        channel.shutdown();
        assertThat(channel.isShutdown()).isTrue();
        assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(channel.isTerminated()).isFalse();

        requests.onNext(ping);
        requests.onCompleted();
        assertThat(closed.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(responses).hasValue(2);
        assertThat(channel.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shutdownNowCancelsInFlightCalls() throws Exception {
        LbChannel channel = channel(b -> b);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        AtomicInteger responses = new AtomicInteger();
        StreamObserver<StreamingOutputCallRequest> requests = TestServiceGrpc.newStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).fullDuplexCall(new StatusObserver<>(closed, responses));
        requests.onNext(StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(8)).build());
        Await.until("the stream is open", () -> responses.get() == 1);
        channel.shutdownNow();
        assertThat(closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(channel.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void interceptorsRunLastAddedFirstAndCallbacksUseTheChannelExecutor() throws Exception {
        List<String> order = new ArrayList<>();
        AtomicReference<String> callbackThread = new AtomicReference<>();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
        try {
            LbChannel channel = channel(b -> b.executor(executor)
                    .intercept(recording("first", order), recording("second", order)));
            CompletableFuture<Status> closed = new CompletableFuture<>();
            TestServiceGrpc.newStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance(),
                    new StatusObserver<Empty>(closed) {
                        @Override
                        public void onNext(Empty value) {
                            callbackThread.set(Thread.currentThread().getName());
                        }
                    });
            assertThat(closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
            assertThat(order).containsExactly("second", "first");
            assertThat(callbackThread.get()).isEqualTo("app-callbacks");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void snapshotCountsCallsAndShowsTheSubchannelAndItsSocket() {
        LbChannel channel = channel(b -> b);
        var stub = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        stub.emptyCall(Empty.getDefaultInstance());
        assertThatThrownBy(() -> stub.unimplementedCall(Empty.getDefaultInstance()));

        ChannelSnapshot snapshot = channel.snapshot();
        assertThat(snapshot.target()).isEqualTo("passthrough:///127.0.0.1:" + backend.port());
        assertThat(snapshot.lbPolicy()).isEqualTo("pick_first");
        assertThat(snapshot.calls().started()).isEqualTo(2);
        assertThat(snapshot.calls().succeeded()).isEqualTo(1);
        assertThat(snapshot.calls().failed()).isEqualTo(1);
        assertThat(snapshot.calls().lastStarted()).isNotNull();
        assertThat(snapshot.subchannels()).singleElement().satisfies(sub -> {
            assertThat(sub.addresses()).containsExactly("127.0.0.1:" + backend.port());
            assertThat(sub.calls().started()).isEqualTo(2);
            assertThat(sub.sockets()).singleElement().satisfies(socket -> {
                assertThat(socket.stats().streamsStarted()).isEqualTo(2);
                assertThat(socket.stats().remote().toString()).contains(String.valueOf(backend.port()));
            });
        });
        assertThat(snapshot.trace()).extracting(e -> e.description())
                .contains("Channel created for target passthrough:///127.0.0.1:" + backend.port());
    }

    private static ClientInterceptor recording(String name, List<String> order) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        order.add(name);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }
}
