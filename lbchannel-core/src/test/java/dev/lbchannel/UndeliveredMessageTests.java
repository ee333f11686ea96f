package dev.lbchannel;

import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.NettyLeakDetection;
import dev.lbchannel.testing.RecordingListener;
import dev.lbchannel.testing.StallingExecutor;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Response messages that reached a call but were never delivered to its listener are released
 * when the call ends early: an abandoned blocking iterator, a call executor that stopped running,
 * a listener that threw. Each test ends with its own leak check (after the channel terminated and
 * the test dropped every reference), so a message left unreleased fails the test that left it.
 */
@Timeout(60)
class UndeliveredMessageTests {

    private static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse> STREAMING =
            TestServiceGrpc.getStreamingOutputCallMethod();
    private static final int BURST = 64;
    private static final int SIZE = 1024;

    private TestBackend backend;
    private LbChannel channel;

    @BeforeEach
    void start() {
        // Attributes leaks: one found here is not this test's (an earlier test or class left it).
        assertThat(NettyLeakDetection.collectLeaks()).as("Netty buffers leaked before this test").isEmpty();
        backend = TestBackend.plaintext();
    }

    @AfterEach
    void stop() throws InterruptedException {
        try {
            if (channel != null) {
                channel.shutdownNow();
                assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                channel = null;
            }
        } finally {
            backend.close();
        }
        List<String> leaks = NettyLeakDetection.collectLeaks();
        assertThat(leaks).as("Netty buffers leaked by this test (undelivered messages not released?)").isEmpty();
    }

    private LbChannel channel(UnaryOperator<LbChannelBuilder> options) {
        channel = options.apply(LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port()).usePlaintext())
                .build();
        return channel;
    }

    /** {@value #BURST} messages at once, then one more 20 s later: the server is still streaming when the client ends. */
    private static StreamingOutputCallRequest burstThenWait() {
        StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
        for (int i = 0; i < BURST; i++) {
            request.addResponseParameters(ResponseParameters.newBuilder().setSize(SIZE));
        }
        return request.addResponseParameters(ResponseParameters.newBuilder().setSize(SIZE).setIntervalUs(20_000_000))
                .build();
    }

    /** Messages the channel's connections handed to their calls so far. */
    /**
     * Attempts whose streams ended, failed or not: counted when the stream closes, before its
     * call's listener hears it (the channel's own counts follow what the listener heard, so a
     * stalled executor holds them back).
     */
    private static long streamsEnded(LbChannel channel) {
        long ended = 0;
        for (SubchannelSnapshot subchannel : channel.snapshot().subchannels()) {
            ended += subchannel.calls().succeeded() + subchannel.calls().failed();
        }
        return ended;
    }

    private static long messagesHandedToCalls(LbChannel channel) {
        long received = 0;
        for (SubchannelSnapshot subchannel : channel.snapshot().subchannels()) {
            for (SocketSnapshot socket : subchannel.sockets()) {
                received += socket.stats().messagesReceived();
            }
        }
        return received;
    }

    @Test
    void blockingIteratorAbandonedAfterOneMessageReleasesTheRestWhenItsContextIsCancelled() throws Exception {
        LbChannel channel = channel(b -> b);
        var stub = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        Context.CancellableContext context = Context.current().withCancellation();
        Iterator<StreamingOutputCallResponse> responses = context.call(() -> stub.streamingOutputCall(burstThenWait()));

        assertThat(responses.next().getPayload().getBody().size()).isEqualTo(SIZE);
        // The iterator asked for the next one; it waits, undelivered, for a next() that never comes.
        Await.until("a second message reached the call", () -> messagesHandedToCalls(channel) >= 2);

        context.cancel(null);

        Await.until("the server sees the cancellation", () -> backend.cancellations() >= 1);
        Await.until("the call's stream ends", () -> streamsEnded(channel) == 1);
    }

    /**
     * As above, but the application's pool stops running callbacks after the first message: the
     * message the iterator asked for next waits in the call, undelivered, when the context is
     * cancelled (above, the pool runs and the transport holds what was not asked for).
     */
    @Test
    void blockingIteratorWhoseCallbacksStopRunningReleasesTheRestWhenItsContextIsCancelled() throws Exception {
        StallingExecutor executor = new StallingExecutor();
        LbChannel channel = channel(b -> b.executor(executor).intercept(stallAfterFirstMessage(executor)));
        var stub = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        Context.CancellableContext context = Context.current().withCancellation();
        Iterator<StreamingOutputCallResponse> responses = context.call(() -> stub.streamingOutputCall(burstThenWait()));

        assertThat(responses.next().getPayload().getBody().size()).isEqualTo(SIZE);
        Await.until("a second message reached the call", () -> messagesHandedToCalls(channel) >= 2);

        context.cancel(null);

        Await.until("the server sees the cancellation", () -> backend.cancellations() >= 1);
        executor.forgetHeldTasks();
    }

    @Test
    void callExecutorThatStopsRunningStillReleasesMessagesWhenTheCallIsCancelled() throws Exception {
        StallingExecutor executor = new StallingExecutor();
        LbChannel channel = channel(b -> b);
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(STREAMING,
                CallOptions.DEFAULT.withExecutor(executor).withDeadlineAfter(30, TimeUnit.SECONDS));
        RecordingListener<StreamingOutputCallResponse> listener = startStalling(call, executor);
        Await.until("the burst reached the call", () -> messagesHandedToCalls(channel) >= BURST);
        assertThat(listener.messages()).as("the executor ran the first message only").hasSize(1);

        call.cancel("the application gave up", null);

        Await.until("the server sees the cancellation", () -> backend.cancellations() >= 1);
        assertThat(listener.isClosed()).as("onClose waits in the stalled executor").isFalse();
        executor.forgetHeldTasks(); // nobody will run them: what they held must already be released
    }

    /**
     * The deadline usually fires here first; when the server enforcing the same deadline resets the
     * stream first, the held messages leak (see the next test, which makes that order certain).
     */
    @Test
    void callExecutorThatStopsRunningStillReleasesMessagesWhenTheDeadlinePasses() throws Exception {
        StallingExecutor executor = new StallingExecutor();
        LbChannel channel = channel(b -> b);
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(STREAMING,
                CallOptions.DEFAULT.withExecutor(executor).withDeadlineAfter(3, TimeUnit.SECONDS));
        RecordingListener<StreamingOutputCallResponse> listener = startStalling(call, executor);
        Await.until("the burst reached the call", () -> messagesHandedToCalls(channel) >= BURST);

        Await.until("the deadline cancels the call and the server sees it", () -> backend.cancellations() >= 1);
        Await.until("the call's stream ends", () -> streamsEnded(channel) == 1);
        assertThat(listener.messages()).hasSize(1);
        executor.forgetHeldTasks();
    }

    /**
     * The same deadline, enforced by the server first: it resets the stream (CANCEL) once the
     * deadline passed, before the client's own timer fires (held up here on its event loop, as a
     * loaded machine may). The call ends DEADLINE_EXCEEDED (CallDeadline.explain) through
     * PreCommitStream.onAttemptClosed and ChannelCall.streamClosed, which never release what
     * waits in the ListenerDispatcher; only ChannelCall.cancelInternal does. With an executor that
     * never runs again, those messages leak (the leak check in {@link #stop()} fails this test).
     */
    @Test
    void callExecutorThatStopsRunningStillReleasesMessagesWhenTheServerEnforcesTheDeadlineFirst() throws Exception {
        StallingExecutor executor = new StallingExecutor();
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        CountDownLatch timersHeld = new CountDownLatch(1);
        CountDownLatch releaseTimers = new CountDownLatch(1);
        try {
            // The channel takes its timer loop first, its connection the next one.
            LbChannel channel = channel(b -> b.eventLoopGroup(loops, NioSocketChannel.class));
            ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(STREAMING,
                    CallOptions.DEFAULT.withExecutor(executor).withDeadlineAfter(2, TimeUnit.SECONDS));
            RecordingListener<StreamingOutputCallResponse> listener = startStalling(call, executor);
            Await.until("the burst reached the call", () -> messagesHandedToCalls(channel) >= BURST);
            channel.scheduler().execute(() -> {
                timersHeld.countDown();
                awaitQuietly(releaseTimers);
            });
            assertThat(timersHeld.await(10, TimeUnit.SECONDS)).isTrue();

            Await.until("the server's deadline ends the call's stream", () -> streamsEnded(channel) == 1);
            releaseTimers.countDown();
            assertThat(listener.messages()).hasSize(1);
            executor.forgetHeldTasks();
        } finally {
            releaseTimers.countDown();
            if (channel != null) {
                channel.shutdownNow();
                assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                channel = null;
            }
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code shutdownNow()} ends the call from the channel's side (its connection fails its
     * streams): messages waiting for an executor that never runs again must be released too, as
     * ListenerDispatcher promises for a call "cancelled ... by the channel". They are not: the
     * close comes through ChannelCall.streamClosed, which never calls discardUndelivered.
     */
    @Test
    void callExecutorThatStopsRunningStillReleasesMessagesWhenTheChannelShutsDownNow() throws Exception {
        StallingExecutor executor = new StallingExecutor();
        LbChannel channel = channel(b -> b);
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(STREAMING,
                CallOptions.DEFAULT.withExecutor(executor).withDeadlineAfter(30, TimeUnit.SECONDS));
        RecordingListener<StreamingOutputCallResponse> listener = startStalling(call, executor);
        Await.until("the burst reached the call", () -> messagesHandedToCalls(channel) >= BURST);

        channel.shutdownNow();

        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("no call is open any more").isTrue();
        assertThat(listener.messages()).hasSize(1);
        executor.forgetHeldTasks();
    }

    /**
     * The stream ended OK, but its messages still waited for the call's executor when the
     * application cancelled: they are released, and the listener hears the cancellation, not OK
     * (ListenerDispatcher's documented choice). The channel's counters must say what the listener
     * heard, as grpc-java's do (ClientCallImpl reports the call ended with the status it delivers).
     */
    @Test
    void lateCancelThatDropsMessagesIsCountedAsTheFailureTheListenerHears() throws Exception {
        StallingExecutor executor = new StallingExecutor();
        LbChannel channel = channel(b -> b);
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(STREAMING,
                CallOptions.DEFAULT.withExecutor(executor).withDeadlineAfter(30, TimeUnit.SECONDS));
        StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
        for (int i = 0; i < 4; i++) {
            request.addResponseParameters(ResponseParameters.newBuilder().setSize(SIZE));
        }
        RecordingListener<StreamingOutputCallResponse> listener = startStalling(call, executor, request.build());
        Await.until("the stream ended OK, its last messages undelivered",
                () -> streamsEnded(channel) == 1);
        assertThat(listener.messages()).hasSize(1);

        call.cancel("the application gave up late", null);
        executor.runHeldTasks();

        Status heard = listener.awaitClose(Duration.ofSeconds(5));
        assertThat(heard.getCode()).as("what the listener heard: %s", heard).isEqualTo(Status.Code.CANCELLED);
        assertThat(listener.messages()).as("the dropped messages were not delivered").hasSize(1);
        var counted = channel.snapshot().calls();
        assertThat(counted.failed())
                .as("the channel counts what the listener heard (succeeded=%d, failed=%d, heard %s)",
                        counted.succeeded(), counted.failed(), heard)
                .isEqualTo(1);
        assertThat(counted.succeeded()).isZero();
    }

    @ParameterizedTest(name = "directExecutor={0}")
    @ValueSource(booleans = {true, false})
    void listenerThrowingFromOnMessageCancelsTheCallAndReleasesTheRest(boolean direct) throws Exception {
        LbChannel channel = channel(b -> direct ? b.directExecutor() : b);
        RuntimeException thrown = new IllegalStateException("the listener cannot take it");
        RecordingListener<StreamingOutputCallResponse> listener = new RecordingListener<>() {
            @Override
            public void onMessage(StreamingOutputCallResponse message) {
                super.onMessage(message);
                throw thrown;
            }
        };
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(STREAMING,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
        call.start(listener, new Metadata());
        call.request(BURST + 1);
        call.sendMessage(burstThenWait());
        call.halfClose();

        Status status = listener.awaitClose(Duration.ofSeconds(10));
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(status.getDescription()).isEqualTo("Failed to read message.");
        assertThat(status.getCause()).isSameAs(thrown);
        assertThat(listener.messages()).as("nothing is delivered after the listener threw").hasSize(1);
        Await.until("the server sees the cancellation", () -> backend.cancellations() >= 1);
        assertThat(listener.closes()).as("onClose, exactly once").hasSize(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stalls {@code executor} once a call's listener has taken its first message. */
    private static ClientInterceptor stallAfterFirstMessage(StallingExecutor executor) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        super.start(new SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onMessage(R message) {
                                super.onMessage(message);
                                executor.stall();
                            }
                        }, headers);
                    }
                };
            }
        };
    }

    /**
     * Starts the burst with a demand of one message, so that the first callback task (whatever
     * else one socket read brought) delivers exactly one; the listener then stalls the executor,
     * and the demand for the rest comes from this thread once that task is over. Every later
     * message is handed to the call and waits for the stalled executor, however the transport's
     * reads happen to batch them.
     */
    private static RecordingListener<StreamingOutputCallResponse> startStalling(
            ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call, StallingExecutor executor) {
        return startStalling(call, executor, burstThenWait());
    }

    private static RecordingListener<StreamingOutputCallResponse> startStalling(
            ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call, StallingExecutor executor,
            StreamingOutputCallRequest request) {
        RecordingListener<StreamingOutputCallResponse> listener = new RecordingListener<>() {
            @Override
            public void onMessage(StreamingOutputCallResponse message) {
                super.onMessage(message);
                executor.stall();
            }
        };
        call.start(listener, new Metadata());
        call.request(1);
        call.sendMessage(request);
        call.halfClose();
        Await.until("the first message was delivered", () -> !listener.messages().isEmpty());
        call.request(request.getResponseParametersCount());
        return listener;
    }
}
