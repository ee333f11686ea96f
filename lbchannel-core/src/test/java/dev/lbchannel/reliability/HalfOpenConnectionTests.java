package dev.lbchannel.reliability;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TcpProxy;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection that goes half-open (a loopback proxy stops delivering bytes, no reset): with
 * keepalive at 10 s / 2 s the call on it fails UNAVAILABLE within 12.5 s plus a margin and the
 * next calls go to the other backend; without keepalive only the call's deadline ends it. On
 * lbchannel and on grpc-java's client, each over its own pair of proxies.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HalfOpenConnectionTests {

    /** Keepalive 10 s + timeout 2 s, plus a margin for a loaded 2-core machine. */
    private static final Duration DETECTED_WITHIN = Duration.ofMillis(12_500 + 3_000);

    enum Client { LBCHANNEL, GRPC_JAVA }

    private TestBackend first;
    private TestBackend second;
    private TcpProxy toFirst;
    private TcpProxy toSecond;
    private final ServedByCounter servedBy = new ServedByCounter();
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        first = TestBackend.plaintext();
        second = TestBackend.plaintext();
        toFirst = new TcpProxy(new InetSocketAddress("127.0.0.1", first.port()));
        toSecond = new TcpProxy(new InetSocketAddress("127.0.0.1", second.port()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        toFirst.close();
        toSecond.close();
        first.close();
        second.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void keepaliveFailsTheCallOnAHalfOpenConnectionAndTheNextCallsGoElsewhere(Client client) {
        channel = open(client, true, false);
        LongCall onFirst = startLongCallOn(first, Duration.ofSeconds(40));

        long blackHoled = System.nanoTime();
        toFirst.blackHole();
        Status status = onFirst.awaitStatus(Duration.ofSeconds(60));
        Duration took = Duration.ofNanos(System.nanoTime() - blackHoled);

        assertThat(status.getCode()).as("%s: %s", client, status).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(took).as("%s: time until the half-open connection was detected", client)
                .isLessThan(DETECTED_WITHIN);
        servedBy.reset();
        for (int i = 0; i < 10; i++) {
            TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .emptyCall(Empty.getDefaultInstance());
        }
        assertThat(servedBy.served(hostAndPort(second))).as("%s: calls after the detection", client).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void keepaliveWithoutCallsDetectsAnIdleHalfOpenConnection(Client client) {
        channel = open(client, true, true);
        callBoth();
        long blackHoled = System.nanoTime();
        toFirst.blackHole();

        Await.until(client + ": the idle half-open connection detected", DETECTED_WITHIN.plusSeconds(5),
                () -> servedOnlyBySecondAfterReset());
        Duration took = Duration.ofNanos(System.nanoTime() - blackHoled);
        assertThat(took).as("%s: time until every call went to the live backend", client)
                .isLessThan(DETECTED_WITHIN.plusSeconds(1));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void withoutKeepaliveOnlyTheDeadlineEndsTheCall(Client client) {
        channel = open(client, false, false);
        LongCall onFirst = startLongCallOn(first, Duration.ofSeconds(5));
        toFirst.blackHole();

        Status status = onFirst.awaitStatus(Duration.ofSeconds(60));
        assertThat(status.getCode()).as("%s: %s", client, status).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    private ManagedChannel open(Client client, boolean keepalive, boolean withoutCalls) {
        String target = "static:///127.0.0.1:" + toFirst.port() + ",127.0.0.1:" + toSecond.port();
        ManagedChannel opened;
        if (client == Client.LBCHANNEL) {
            LbChannelBuilder builder = LbChannelBuilder.forTarget(target).usePlaintext()
                    .defaultLoadBalancingPolicy("round_robin").intercept(servedBy);
            if (keepalive) {
                builder.keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(2, TimeUnit.SECONDS)
                        .keepAliveWithoutCalls(withoutCalls);
            }
            opened = builder.build();
        } else {
            GrpcJavaStaticResolverProvider.register();
            NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target).usePlaintext()
                    .defaultLoadBalancingPolicy("round_robin").intercept(servedBy);
            if (keepalive) {
                builder.keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(2, TimeUnit.SECONDS)
                        .keepAliveWithoutCalls(withoutCalls);
            }
            opened = builder.build();
        }
        return opened;
    }

    /** Calls until both backends answered, so that both connections are READY. */
    private void callBoth() {
        Await.until("both backends answer", () -> {
            TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .emptyCall(Empty.getDefaultInstance());
            return servedBy.served(hostAndPort(first)) > 0 && servedBy.served(hostAndPort(second)) > 0;
        });
    }

    /** Whether, after a reset of the counts, four calls all went to the second backend. */
    private boolean servedOnlyBySecondAfterReset() {
        servedBy.reset();
        for (int i = 0; i < 4; i++) {
            try {
                TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                        .emptyCall(Empty.getDefaultInstance());
            } catch (RuntimeException e) {
                return false;   // picked onto the half-open connection: not detected yet
            }
        }
        return servedBy.served(hostAndPort(second)) == 4;
    }

    /** Starts long calls until one runs on {@code backend}'s connection, and returns that one. */
    private LongCall startLongCallOn(TestBackend backend, Duration deadline) {
        callBoth();
        for (int i = 0; i < 10; i++) {
            LongCall call = LongCall.start(channel, deadline);
            Await.until("the long call's first response", () -> call.responses.get() > 0 || call.status.isDone());
            if (hostAndPort(backend).equals(call.servedBy)) {
                return call;
            }
            call.observer.cancel();
        }
        throw new AssertionError("no long call landed on " + hostAndPort(backend));
    }

    private static String hostAndPort(TestBackend backend) {
        return "127.0.0.1:" + backend.port();
    }

    /** A server-streaming call answering every 500 ms for a minute, until its deadline. */
    private static final class LongCall {
        final AtomicInteger responses = new AtomicInteger();
        final CompletableFuture<Status> status = new CompletableFuture<>();
        volatile String servedBy;
        CancellableObserver observer;

        static LongCall start(ManagedChannel channel, Duration deadline) {
            LongCall call = new LongCall();
            StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
            for (int i = 0; i < 120; i++) {
                request.addResponseParameters(ResponseParameters.newBuilder().setSize(8).setIntervalUs(500_000));
            }
            call.observer = new CancellableObserver(call);
            TestServiceGrpc.newStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .withInterceptors(new io.grpc.ClientInterceptor() {
                        @Override
                        public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(io.grpc.MethodDescriptor<Q, R> method,
                                io.grpc.CallOptions options, io.grpc.Channel next) {
                            return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(
                                    next.newCall(method, options)) {
                                @Override
                                public void start(Listener<R> listener, io.grpc.Metadata headers) {
                                    super.start(new io.grpc.ForwardingClientCallListener
                                            .SimpleForwardingClientCallListener<>(listener) {
                                        @Override
                                        public void onHeaders(io.grpc.Metadata responseHeaders) {
                                            call.servedBy = responseHeaders.get(TestBackend.SERVED_BY);
                                            super.onHeaders(responseHeaders);
                                        }
                                    }, headers);
                                }
                            };
                        }
                    })
                    .streamingOutputCall(request.build(), call.observer);
            return call;
        }

        Status awaitStatus(Duration bound) {
            try {
                return status.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("the long call did not end within " + bound, e);
            }
        }
    }

    /** The long call's observer, which can cancel it. */
    private static final class CancellableObserver
            implements io.grpc.stub.ClientResponseObserver<StreamingOutputCallRequest, StreamingOutputCallResponse> {
        private final LongCall call;
        private volatile io.grpc.stub.ClientCallStreamObserver<StreamingOutputCallRequest> requests;

        CancellableObserver(LongCall call) {
            this.call = call;
        }

        @Override
        public void beforeStart(io.grpc.stub.ClientCallStreamObserver<StreamingOutputCallRequest> requestStream) {
            requests = requestStream;
        }

        void cancel() {
            requests.cancel("not on the backend the test wants", null);
        }

        @Override
        public void onNext(StreamingOutputCallResponse value) {
            call.responses.incrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            call.status.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            call.status.complete(Status.OK);
        }
    }
}
