package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannelBuilderCustomizer;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import dev.lbchannel.transport.TransportKind;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Each channel property, and its merge from the defaults, seen in what a real backend receives. */
@Timeout(120)
class ChannelPropertiesTests {

    private static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> ECHO_INITIAL =
            Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);

    private static TestBackend first;
    private static TestBackend second;

    @BeforeAll
    static void startBackends() {
        first = TestBackend.plaintext();
        second = TestBackend.plaintext();
    }

    @AfterAll
    static void stopBackends() {
        first.close();
        second.close();
    }

    private static ApplicationContextRunner orders(String... properties) {
        return LbChannelAutoConfigurationTests.RUNNER
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:" + first.port(),
                        "lbchannel.channels.orders.plaintext=true")
                .withPropertyValues(properties);
    }

    private static TestServiceGrpc.TestServiceBlockingStub stub(LbChannels channels) {
        return TestServiceGrpc.newBlockingStub(channels.get("orders"));
    }

    @Test
    void plaintextTalksToAPlaintextBackend() {
        orders().run(context -> assertThat(stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance()))
                .isNotNull());
    }

    @Test
    void tlsIsTheDefault() {
        LbChannelAutoConfigurationTests.RUNNER
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:" + first.port())
                .run(context -> assertThatThrownBy(() -> stub(context.getBean(LbChannels.class))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            // The status names the setting to change, not just the handshake's error.
                            assertThat(e.getStatus().getDescription()).contains("does not speak TLS")
                                    .contains("plaintext: true");
                        }));
    }

    @Test
    void plaintextMergesFromTheDefaults() {
        LbChannelAutoConfigurationTests.RUNNER.withPropertyValues("lbchannel.defaults.plaintext=true",
                        "lbchannel.channels.orders.target=static:///127.0.0.1:" + first.port())
                .run(context -> assertThat(stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance()))
                        .isNotNull());
    }

    @Test
    void userAgentGoesInFrontOfLbchannels() {
        orders("lbchannel.channels.orders.user-agent=orders-app/1.0").run(context -> {
            stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
            assertThat(Objects.requireNonNull(first.lastHeaders()).get(USER_AGENT)).startsWith("orders-app/1.0 ");
        });
    }

    @Test
    void aChannelsOwnValueWinsOverTheDefault() {
        orders("lbchannel.defaults.user-agent=default-app", "lbchannel.channels.orders.user-agent=orders-app")
                .run(context -> {
                    stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
                    assertThat(Objects.requireNonNull(first.lastHeaders()).get(USER_AGENT)).startsWith("orders-app ");
                });
    }

    @Test
    void authorityOverridesTheTargets() {
        orders("lbchannel.channels.orders.authority=orders.example.com")
                .run(context -> assertThat(context.getBean(LbChannels.class).get("orders").authority())
                        .isEqualTo("orders.example.com"));
    }

    @Test
    void defaultDeadlineAppliesToCallsWithoutOne() {
        orders("lbchannel.channels.orders.default.deadline=3s").run(context -> {
            stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
            Deadline deadline = Objects.requireNonNull(first.lastDeadline());
            assertThat(deadline.timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 3000L);
        });
    }

    @Test
    void aCallsOwnDeadlineWinsOverTheDefault() {
        orders("lbchannel.defaults.default.deadline=3s").run(context -> {
            stub(context.getBean(LbChannels.class)).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .emptyCall(Empty.getDefaultInstance());
            assertThat(Objects.requireNonNull(first.lastDeadline()).timeRemaining(TimeUnit.SECONDS)).isGreaterThan(30);
        });
    }

    @Test
    void theDefaultDeadlineIsVisibleToNoInterceptorButReachesTheServer() {
        TestInterceptors.DeadlineSpy spy = new TestInterceptors.DeadlineSpy();
        orders("lbchannel.channels.orders.default.deadline=3s")
                .withBean("spy", ClientInterceptor.class, () -> spy)
                .run(context -> {
                    stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
                    assertThat(spy.last).isNull();
                    assertThat(first.lastDeadline()).isNotNull();
                });
    }

    @Test
    void defaultLoadBalancingPolicySpreadsCalls() {
        ServedByCounter counter = new ServedByCounter();
        LbChannelAutoConfigurationTests.RUNNER.withBean("counter", ClientInterceptor.class, () -> counter)
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:" + first.port()
                                + ",127.0.0.1:" + second.port(), "lbchannel.channels.orders.plaintext=true",
                        "lbchannel.defaults.default.load-balancing-policy=round_robin")
                .run(context -> {
                    LbChannel channel = context.getBean(LbChannels.class).get("orders");
                    awaitReadySubchannels(channel, 2);
                    for (int i = 0; i < 10; i++) {
                        stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
                    }
                    assertThat(counter.served("127.0.0.1:" + first.port())).isEqualTo(5);
                    assertThat(counter.served("127.0.0.1:" + second.port())).isEqualTo(5);
                });
    }

    @Test
    void serviceConfigJsonSelectsThePolicy() {
        orders("lbchannel.channels.orders.service-config-json={\"loadBalancingConfig\":[{\"round_robin\":{}}]}")
                .run(context -> {
                    stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
                    assertThat(context.getBean(LbChannels.class).get("orders").snapshot().lbPolicy())
                            .isEqualTo("round_robin");
                });
    }

    @Test
    void serviceConfigMethodTimeoutBecomesTheDeadline() {
        orders("lbchannel.channels.orders.service-config.method-config[0].name[0].service=grpc.testing.TestService",
                "lbchannel.channels.orders.service-config.method-config[0].timeout=1500ms").run(context -> {
                    stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
                    assertThat(Objects.requireNonNull(first.lastDeadline()).timeRemaining(TimeUnit.MILLISECONDS))
                            .isBetween(1L, 1500L);
                });
    }

    @Test
    void aChannelsServiceConfigReplacesTheDefaultOneWhole() {
        orders("lbchannel.defaults.service-config.method-config[0].name[0].service=grpc.testing.TestService",
                "lbchannel.defaults.service-config.method-config[0].timeout=1500ms",
                "lbchannel.channels.orders.service-config.load-balancing-config[0].round_robin=").run(context -> {
                    stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
                    assertThat(first.lastDeadline()).isNull();
                    assertThat(context.getBean(LbChannels.class).get("orders").snapshot().lbPolicy())
                            .isEqualTo("round_robin");
                });
    }

    @Test
    void theDefaultServiceConfigAppliesToChannelsWithoutTheirOwn() {
        orders("lbchannel.defaults.service-config-json={\"methodConfig\":[{\"name\":[{}],\"timeout\":\"1.5s\"}]}")
                .run(context -> {
                    stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
                    assertThat(Objects.requireNonNull(first.lastDeadline()).timeRemaining(TimeUnit.MILLISECONDS))
                            .isBetween(1L, 1500L);
                });
    }

    @Test
    void inboundMessageMaxSizeRejectsLargerResponses() {
        orders("lbchannel.channels.orders.inbound.message.max-size=1KB").run(context -> {
            TestServiceGrpc.TestServiceBlockingStub stub = stub(context.getBean(LbChannels.class));
            stub.unaryCall(SimpleRequest.newBuilder().setResponseSize(512).build());
            assertThatThrownBy(() -> stub.unaryCall(SimpleRequest.newBuilder().setResponseSize(2048).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        });
    }

    @Test
    void inboundMetadataMaxSizeRejectsLargerHeaders() {
        orders("lbchannel.defaults.inbound.metadata.max-size=1KB").run(context -> {
            Metadata large = new Metadata();
            large.put(ECHO_INITIAL, "x".repeat(2048));
            TestServiceGrpc.TestServiceBlockingStub stub = stub(context.getBean(LbChannels.class))
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(large));
            assertThatThrownBy(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class);
        });
    }

    @Test
    void idleTimeoutDropsConnectionsWhenUnused() {
        orders("lbchannel.channels.orders.idle.timeout=1s").run(context -> {
            LbChannel channel = context.getBean(LbChannels.class).get("orders");
            stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
            assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
            Await.until("channel IDLE", () -> channel.getState(false) == ConnectivityState.IDLE);
        });
    }

    @Test
    void keepaliveSendsPingsWithoutCalls() {
        orders("lbchannel.defaults.keepalive.time=10s", "lbchannel.defaults.keepalive.timeout=5s",
                "lbchannel.defaults.keepalive.without-calls=true").run(context -> {
                    LbChannel channel = context.getBean(LbChannels.class).get("orders");
                    stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance());
                    Await.until("a keepalive ping", java.time.Duration.ofSeconds(30), () -> keepAlivesSent(channel) > 0);
                });
    }

    @Test
    void connectOnStartupIsReadyWhenTheContextIs() {
        orders("lbchannel.channels.orders.connect-on-startup=true")
                .run(context -> assertThat(context.getBean(LbChannels.class).get("orders").getState(false))
                        .isEqualTo(ConnectivityState.READY));
    }

    @Test
    void connectTimeoutBoundsTheWaitForABackendThatIsDown() {
        long started = System.nanoTime();
        LbChannelAutoConfigurationTests.RUNNER.withPropertyValues("lbchannel.channels.down.target=static:///127.0.0.1:1",
                        "lbchannel.channels.down.plaintext=true", "lbchannel.channels.down.connect-on-startup=true",
                        "lbchannel.startup.connect-timeout=300ms")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(8));
    }

    @Test
    void callbacksRunOnTheCallbackExecutor() {
        orders("lbchannel.executor.max-threads=2").run(context -> {
            java.util.concurrent.CompletableFuture<String> thread = new java.util.concurrent.CompletableFuture<>();
            TestServiceGrpc.newStub(context.getBean(LbChannels.class).get("orders")).emptyCall(Empty.getDefaultInstance(),
                    new io.grpc.stub.StreamObserver<>() {
                        @Override
                        public void onNext(Empty value) {
                            thread.complete(Thread.currentThread().getName());
                        }

                        @Override
                        public void onError(Throwable t) {
                            thread.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("lbchannel-callback-");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "auto"})
    void eachTransportServesCalls(String transport) {
        assumeTrue(!transport.equals("epoll") || canLoad(TransportKind.EPOLL), "epoll cannot load here");
        orders("lbchannel.transport=" + transport).run(context -> assertThat(
                stub(context.getBean(LbChannels.class)).emptyCall(Empty.getDefaultInstance())).isNotNull());
    }

    @Test
    void theTransportPropertyReachesTheBuilder() {
        // A customizer's own event loops and a chosen transport conflict: the failure proves the property arrived.
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            orders("lbchannel.transport=nio")
                    .withBean(LbChannelBuilderCustomizer.class,
                            () -> (name, builder) -> builder.eventLoopGroup(loops, NioSocketChannel.class))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("transport(NIO) and eventLoopGroup(...)"));
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void ioUringWithoutItsJarFailsStartUpSayingWhatToAdd() {
        // The starter does not bring Netty's io_uring jars (lbchannel-core declares them optional).
        assumeTrue(!canLoad(TransportKind.IO_URING), "io_uring is on this class path and runs");
        orders("lbchannel.transport=io-uring").run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("netty-transport-classes-io_uring is not on the class path"));
        orders("lbchannel.transport=io_uring").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("lbchannel.transport")
                .hasStackTraceContaining("io.netty:netty-transport-native-io_uring"));
    }

    @Test
    void anUnknownTransportNamesTheProperty() {
        // Spring's binder names the property in the cause (its failure analysis prints it with the accepted values).
        orders("lbchannel.transport=kqueue").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("lbchannel.transport").hasStackTraceContaining("kqueue"));
    }

    private static boolean canLoad(TransportKind kind) {
        try {
            kind.io();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Test
    void executorMaxThreadsMustBePositive() {
        orders("lbchannel.executor.max-threads=0").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("lbchannel.executor.max-threads"));
    }

    @Test
    void shutdownGracePeriodBoundsHowLongCallsMayRunOn() throws Exception {
        long[] closed = new long[1];
        java.util.concurrent.CompletableFuture<Status> outcome = new java.util.concurrent.CompletableFuture<>();
        int before = first.callsStarted();
        orders("lbchannel.shutdown.grace-period=300ms").run(context -> {
            TestServiceGrpc.newStub(context.getBean(LbChannels.class).get("orders")).streamingOutputCall(
                    io.grpc.testing.integration.Messages.StreamingOutputCallRequest.newBuilder()
                            .addResponseParameters(io.grpc.testing.integration.Messages.ResponseParameters.newBuilder()
                                    .setIntervalUs(60_000_000)).build(),
                    new io.grpc.stub.StreamObserver<>() {
                        @Override
                        public void onNext(io.grpc.testing.integration.Messages.StreamingOutputCallResponse value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            outcome.complete(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            outcome.complete(Status.OK);
                        }
                    });
            Await.until("the call started on the server", () -> first.callsStarted() > before);
            closed[0] = System.nanoTime();
        });
        Status status = outcome.get(20, TimeUnit.SECONDS);
        assertThat(status.getCode()).isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
        assertThat(System.nanoTime() - closed[0]).isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    private static void awaitReadySubchannels(LbChannel channel, int count) {
        channel.getState(true);
        Await.until(count + " READY subchannels", () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == count);
    }

    private static long keepAlivesSent(LbChannel channel) {
        return channel.snapshot().subchannels().stream().flatMap(s -> s.sockets().stream())
                .mapToLong(socket -> socket.stats().keepAlivesSent()).sum();
    }
}
