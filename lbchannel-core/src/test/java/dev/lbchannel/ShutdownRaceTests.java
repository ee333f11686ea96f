package dev.lbchannel;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.RecordingListener;
import dev.lbchannel.testing.RefusedPort;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Deterministic cases of a call's start racing the channel's shutdown: refused after shutdown,
 * parked calls at {@code shutdown()} and {@code shutdownNow()}, and a call cancelled during its
 * own pick, which must leave nothing parked to hold the channel open.
 */
@Timeout(60)
class ShutdownRaceTests {

    private static final MethodDescriptor<SimpleRequest, SimpleResponse> UNARY = TestServiceGrpc.getUnaryCallMethod();
    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(8).build();
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final StreamingOutputCallRequest ECHO_ONE = StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(ResponseParameters.newBuilder().setSize(8)).build();

    private final List<LbChannel> channels = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (LbChannel channel : channels) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("%s terminates", channel).isTrue();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private LbChannel channel(String target, UnaryOperator<LbChannelBuilder> options) {
        LbChannel channel = options.apply(LbChannelBuilder.forTarget(target).usePlaintext().directExecutor()).build();
        channels.add(channel);
        return channel;
    }

    /** Starts a unary call as a stub would: start, request, send, half-close. */
    private static RecordingListener<SimpleResponse> startUnary(ClientCall<SimpleRequest, SimpleResponse> call) {
        RecordingListener<SimpleResponse> listener = new RecordingListener<>();
        call.start(listener, new Metadata());
        call.request(1);
        call.sendMessage(REQUEST);
        call.halfClose();
        return listener;
    }

    private static void assertShutdownStatus(RecordingListener<?> listener, String description) {
        assertThat(listener.closes()).as("onClose, exactly once").hasSize(1);
        Status status = listener.closes().get(0);
        assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).isEqualTo(description);
    }

    @Test
    void callStartedAfterShutdownOfAnIdleChannelClosesUnavailable() throws InterruptedException {
        LbChannel channel = channel("passthrough:///127.0.0.1:1", b -> b);
        channel.shutdown();

        RecordingListener<SimpleResponse> listener = startUnary(channel.newCall(UNARY, CallOptions.DEFAULT));
        // Direct executor: the refusal is heard inside start(), on this thread.
        assertShutdownStatus(listener, "Channel shutdown invoked");
        assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

        RecordingListener<SimpleResponse> afterTermination = startUnary(channel.newCall(UNARY, CallOptions.DEFAULT));
        assertShutdownStatus(afterTermination, "Channel shutdown invoked");
    }

    @Test
    void callStartedAfterShutdownOfAConnectedChannelClosesUnavailable() throws InterruptedException {
        TestBackend backend = TestBackend.plaintext();
        resources.add(backend);
        LbChannel channel = channel("passthrough:///127.0.0.1:" + backend.port(), b -> b);
        ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), REQUEST);
        channel.shutdown();

        RecordingListener<SimpleResponse> listener = startUnary(channel.newCall(UNARY, CallOptions.DEFAULT));
        assertShutdownStatus(listener, "Channel shutdown invoked");
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(backend.callsStarted()).as("the refused call never reached the server").isEqualTo(1);
    }

    /**
     * A call that is over may still be asked for more messages or cancelled (a blocking iterator
     * requests the next message after handing one out; {@code cancel} is safe at any time), even
     * once its channel terminated and the event loops it ran on stopped: that must not throw.
     * The loops here are the application's own, stopped after termination; the shared ones stop the
     * same way when the last channel terminates (seen in CallRaceStressTests).
     */
    @Test
    void callMethodsAfterTheChannelTerminatedAndItsEventLoopsStoppedDoNotThrow() throws InterruptedException {
        TestBackend backend = TestBackend.plaintext();
        resources.add(backend);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        resources.add(() -> loops.shutdownGracefully(0, 1, TimeUnit.SECONDS));
        LbChannel channel = channel("passthrough:///127.0.0.1:" + backend.port(),
                b -> b.eventLoopGroup(loops, NioSocketChannel.class));
        ClientCall<SimpleRequest, SimpleResponse> call = channel.newCall(UNARY,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        RecordingListener<SimpleResponse> listener = startUnary(call);
        assertThat(listener.awaitClose(BOUND).isOk()).isTrue();
        // A bidi call its deadline ended, neither cancelled nor half-closed by the application,
        // which may therefore still send (the message is dropped) and half-close.
        ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> bidi = channel.newCall(
                TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS));
        RecordingListener<StreamingOutputCallResponse> bidiListener = new RecordingListener<>();
        bidi.start(bidiListener, new Metadata());
        bidi.request(1);
        bidi.sendMessage(ECHO_ONE);
        Await.until("the bidi call got its answer", () -> bidiListener.messages().size() == 1 || bidiListener.isClosed());
        assertThat(bidiListener.awaitClose(BOUND).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        channel.shutdown();
        assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)).isTrue();

        Map<String, Throwable> thrown = new LinkedHashMap<>();
        thrown.put("unary request()", catchThrowable(() -> call.request(1)));
        thrown.put("unary cancel()", catchThrowable(() -> call.cancel("late", null)));
        thrown.put("bidi sendMessage()", catchThrowable(() -> bidi.sendMessage(ECHO_ONE)));
        thrown.put("bidi request()", catchThrowable(() -> bidi.request(1)));
        thrown.put("bidi halfClose()", catchThrowable(() -> bidi.halfClose()));
        thrown.put("bidi cancel()", catchThrowable(() -> bidi.cancel("late", null)));
        thrown.values().removeIf(Objects::isNull);
        assertThat(thrown)
                .as("BUG: methods of closed calls reach the stopped event loop (ChannelCall -> PreCommitStream "
                        + "-> NettyClientStream -> WriteQueue.scheduleFlush -> EventLoop.execute) and throw")
                .isEmpty();
        assertThat(listener.closes()).hasSize(1);
        assertThat(bidiListener.closes()).hasSize(1);
    }

    /**
     * A call waiting for the first resolution when shutdown() comes keeps waiting, since its
     * resolver still runs and a picker may still come; it holds termination until it ends (here
     * by its deadline). grpc-java's own client does the same: see the next test.
     */
    @Test
    void callParkedBeforeAnyResolutionWaitsOnAfterShutdownAndHoldsTermination() throws InterruptedException {
        ManualResolverProvider resolver = new ManualResolverProvider("never");
        LbChannel channel = channel("never:///service", b -> b.resolverProvider(resolver));
        RecordingListener<SimpleResponse> listener = startUnary(channel.newCall(UNARY,
                CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS)));
        Await.until("the call made the channel leave idle", () -> channel.getState(false) == ConnectivityState.CONNECTING);

        channel.shutdown();

        assertThat(channel.awaitTermination(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(listener.isClosed()).as("the call waits on after shutdown()").isFalse();
        assertThat(listener.awaitClose(Duration.ofSeconds(20)).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).as("terminates once the call ended").isTrue();
    }

    /** The comparison for the test above: grpc-java's own client on the same situation. */
    @Test
    @SuppressWarnings("deprecation") // nameResolverFactory: the simplest never-answering resolver
    void grpcJavaKeepsACallWaitingForItsFirstResolutionAfterShutdown() throws InterruptedException {
        ManagedChannel grpcJava = NettyChannelBuilder.forTarget("never:///service")
                .nameResolverFactory(new NeverResolvingFactory()).usePlaintext().directExecutor().build();
        try {
            RecordingListener<SimpleResponse> listener = startUnary(grpcJava.newCall(UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS)));
            Await.until("the call made the channel leave idle",
                    () -> grpcJava.getState(false) == ConnectivityState.CONNECTING);

            grpcJava.shutdown();

            assertThat(grpcJava.awaitTermination(300, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(listener.isClosed()).as("grpc-java keeps the call waiting after shutdown()").isFalse();
            assertThat(listener.awaitClose(Duration.ofSeconds(20)).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(grpcJava.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            grpcJava.shutdownNow();
        }
    }

    @Test
    void waitForReadyCallParkedOnAnActiveChannelHoldsTerminationUntilCancelled() throws InterruptedException {
        RefusedPort refused = new RefusedPort();
        resources.add(refused);
        LbChannel channel = channel("passthrough:///127.0.0.1:" + refused.port(), b -> b);
        ClientCall<SimpleRequest, SimpleResponse> call = channel.newCall(UNARY, CallOptions.DEFAULT.withWaitForReady());
        RecordingListener<SimpleResponse> listener = startUnary(call);
        Await.until("the backend is found down", () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);

        channel.shutdown();

        assertThat(channel.awaitTermination(300, TimeUnit.MILLISECONDS))
                .as("a parked wait-for-ready call keeps the channel from terminating").isFalse();
        assertThat(listener.isClosed()).as("shutdown() lets the parked call wait on").isFalse();

        call.cancel("no longer needed", null);

        assertThat(listener.awaitClose(BOUND).getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).as("terminates once the call ended").isTrue();
        assertThat(listener.closes()).hasSize(1);
    }

    @Test
    void waitForReadyCallParkedOnAnActiveChannelHoldsTerminationUntilItsDeadline() throws InterruptedException {
        RefusedPort refused = new RefusedPort();
        resources.add(refused);
        LbChannel channel = channel("passthrough:///127.0.0.1:" + refused.port(), b -> b);
        RecordingListener<SimpleResponse> listener = startUnary(channel.newCall(UNARY,
                CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(3, TimeUnit.SECONDS)));
        Await.until("the backend is found down", () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);

        channel.shutdown();

        if (!listener.isClosed()) { // on a very slow machine the deadline may have passed already
            assertThat(channel.awaitTermination(200, TimeUnit.MILLISECONDS))
                    .as("a parked wait-for-ready call keeps the channel from terminating").isFalse();
        }
        assertThat(listener.awaitClose(Duration.ofSeconds(20)).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).as("terminates once the call ended").isTrue();
        assertThat(listener.closes()).hasSize(1);
    }

    @Test
    void shutdownNowEndsParkedCallsAtOnce() throws InterruptedException {
        RefusedPort refused = new RefusedPort();
        resources.add(refused);
        LbChannel active = channel("passthrough:///127.0.0.1:" + refused.port(), b -> b);
        RecordingListener<SimpleResponse> waitingForReady = startUnary(active.newCall(UNARY,
                CallOptions.DEFAULT.withWaitForReady()));
        ManualResolverProvider resolver = new ManualResolverProvider("never");
        LbChannel unresolved = channel("never:///service", b -> b.resolverProvider(resolver));
        RecordingListener<SimpleResponse> waitingForResolution = startUnary(unresolved.newCall(UNARY, CallOptions.DEFAULT));
        Await.until("both channels are active", () -> active.getState(false) == ConnectivityState.TRANSIENT_FAILURE
                && unresolved.getState(false) == ConnectivityState.CONNECTING);
        assertThat(waitingForReady.isClosed()).isFalse();
        assertThat(waitingForResolution.isClosed()).isFalse();

        active.shutdownNow();
        unresolved.shutdownNow();

        Await.until("parked calls end at shutdownNow()", BOUND,
                () -> waitingForReady.isClosed() && waitingForResolution.isClosed());
        assertShutdownStatus(waitingForReady, "Channel shutdownNow invoked");
        assertShutdownStatus(waitingForResolution, "Channel shutdownNow invoked");
        assertThat(active.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(unresolved.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** The picker is in place before the call: the call is cancelled inside pickOrPark, then parks. */
    @Test
    void callCancelledByItsContextDuringItsOwnPickLeavesNothingParked() throws InterruptedException {
        CancellingPickerProvider balancer = new CancellingPickerProvider();
        ManualResolverProvider resolver = new ManualResolverProvider("manual");
        resolver.update(1);
        LbChannel channel = channel("manual:///service",
                b -> b.resolverProvider(resolver).balancerProvider(balancer).defaultLoadBalancingPolicy(balancer.policyName()));
        channel.getState(true);
        Await.until("the cancelling picker is in place", () -> balancer.installed);

        Context.CancellableContext context = Context.current().withCancellation();
        balancer.toCancel.set(context);
        AtomicReference<@Nullable RecordingListener<SimpleResponse>> started = new AtomicReference<>();
        context.run(() -> started.set(startUnary(channel.newCall(UNARY, CallOptions.DEFAULT.withWaitForReady()))));
        RecordingListener<SimpleResponse> listener = started.get();

        assertThat(balancer.picks).as("picked once, cancelled inside the pick").hasValue(1);
        Status status = listener.awaitClose(BOUND);
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(channel.snapshot().calls().failed()).isEqualTo(1);

        channel.shutdown();

        assertThat(channel.awaitTermination(2, TimeUnit.SECONDS))
                .as("nothing is left parked: the channel terminates right after shutdown()").isTrue();
        assertThat(listener.closes()).as("onClose, exactly once").hasSize(1);
    }

    /** The call parks first; the picker that cancels it arrives later (PickerHolder.update's path). */
    @Test
    void parkedCallCancelledByItsContextDuringARepickLeavesNothingParked() throws InterruptedException {
        CancellingPickerProvider balancer = new CancellingPickerProvider();
        ManualResolverProvider resolver = new ManualResolverProvider("manual");
        LbChannel channel = channel("manual:///service",
                b -> b.resolverProvider(resolver).balancerProvider(balancer).defaultLoadBalancingPolicy(balancer.policyName()));
        Context.CancellableContext context = Context.current().withCancellation();
        balancer.toCancel.set(context);
        AtomicReference<@Nullable RecordingListener<SimpleResponse>> started = new AtomicReference<>();
        context.run(() -> started.set(startUnary(channel.newCall(UNARY, CallOptions.DEFAULT.withWaitForReady()))));
        RecordingListener<SimpleResponse> listener = started.get();
        Await.until("the call parked for a resolution", () -> channel.getState(false) == ConnectivityState.CONNECTING);
        assertThat(listener.isClosed()).isFalse();

        resolver.update(1);

        assertThat(listener.awaitClose(BOUND).getCode()).isEqualTo(Status.Code.CANCELLED);
        channel.shutdown();
        assertThat(channel.awaitTermination(2, TimeUnit.SECONDS))
                .as("nothing is left parked: the channel terminates right after shutdown()").isTrue();
        assertThat(listener.closes()).as("onClose, exactly once").hasSize(1);
    }

    /** A grpc-java resolver that never answers. */
    @SuppressWarnings("deprecation")
    private static final class NeverResolvingFactory extends NameResolver.Factory {
        @Override
        public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return "service";
                }

                @Override
                public void start(Listener2 listener) {
                }

                @Override
                public void shutdown() {
                }
            };
        }

        @Override
        public String getDefaultScheme() {
            return "never";
        }
    }

    /**
     * A policy whose picker cancels a test-owned context during {@code pick()} and then returns
     * no result, so the call it picks for parks after it was cancelled.
     */
    private static final class CancellingPickerProvider implements BalancerProvider {
        final AtomicReference<Context.@Nullable CancellableContext> toCancel = new AtomicReference<>();
        final AtomicInteger picks = new AtomicInteger();
        volatile boolean installed;

        @Override
        public String policyName() {
            return "cancel_in_pick";
        }

        @Override
        public Balancer newBalancer(BalancerHelper helper) {
            return new Balancer() {
                @Override
                public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
                    helper.updateState(ConnectivityState.CONNECTING, args -> {
                        picks.incrementAndGet();
                        Context.CancellableContext context = toCancel.get();
                        if (context != null) {
                            context.cancel(null);
                        }
                        return PickResult.withNoResult();
                    });
                    installed = true;
                    return Status.OK;
                }

                @Override
                public void handleResolutionError(Status error) {
                }

                @Override
                public void shutdown() {
                }
            };
        }
    }
}
