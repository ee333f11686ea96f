package dev.lbchannel;

import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.transport.IoTransport;
import dev.lbchannel.transport.TransportKind;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code unix:} targets against grpc-java's server listening on a Unix domain socket (its own
 * shaded epoll; skipped, saying why, where that cannot load), on each of lbchannel's transports.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnixTargetTests {

    @TempDir
    static Path dir;

    private final AtomicReference<String> lastAuthority = new AtomicReference<>();
    private ScheduledExecutorService scheduler;
    private EpollEventLoopGroup serverLoops;
    private Server server;
    private Path socket;

    @BeforeAll
    void startServer() throws Exception {
        assumeTrue(Epoll.isAvailable(), () -> "grpc-java's epoll cannot load here: " + Epoll.unavailabilityCause());
        socket = dir.resolve("backend.sock");
        scheduler = Executors.newSingleThreadScheduledExecutor();
        serverLoops = new EpollEventLoopGroup(1);
        ServerInterceptor recordAuthority = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                lastAuthority.set(call.getAuthority());
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(serverLoops)
                .workerEventLoopGroup(serverLoops)
                .addService(ServerInterceptors.intercept(new TestServiceImpl(scheduler), recordAuthority))
                .build()
                .start();
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            scheduler.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TransportKind.class, names = {"NIO", "EPOLL", "IO_URING"})
    void callsReachAServerOnAUnixSocket(TransportKind kind) throws Exception {
        assumeTrue(canLoad(kind), () -> kind + " cannot load here");
        LbChannel channel = LbChannelBuilder.forTarget("unix://" + socket).usePlaintext().transport(kind).build();
        try {
            SimpleResponse response = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .unaryCall(SimpleRequest.newBuilder().setResponseSize(5).build());

            assertThat(response.getPayload().getBody().size()).isEqualTo(5);
            assertThat(lastAuthority.get()).as("gRPC's authority for unix targets").isEqualTo("localhost");
            // The scheduler is one of the loops the connections run on.
            assertThat(IoTransport.forLoops((io.netty.channel.EventLoopGroup) channel.scheduler()).name()).isEqualTo(kind.name().toLowerCase());
            List<SocketSnapshot> sockets = channel.snapshot().subchannels().stream()
                    .map(SubchannelSnapshot::sockets).flatMap(List::stream).toList();
            assertThat(sockets).singleElement()
                    .satisfies(s -> assertThat(SocketAddresses.text(s.stats().remote())).isEqualTo(socket.toString()));
        } finally {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void relativeAndAbsoluteFormsNameTheSocketPath() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(socket);
        for (String target : List.of("unix:" + socket, "unix://" + socket, "unix:" + relative)) {
            LbChannel channel = LbChannelBuilder.forTarget(target).usePlaintext().build();
            try {
                SimpleResponse response = TestServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS).unaryCall(SimpleRequest.getDefaultInstance());
                assertThat(response).as(target).isNotNull();
            } finally {
                channel.shutdownNow();
                assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void malformedUnixTargetsAreRejectedWithWhatToWrite() {
        assertThatThrownBy(() -> LbChannelBuilder.forTarget("unix://host/tmp/s.sock").usePlaintext().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unix://host/tmp/s.sock").hasMessageContaining("has no authority")
                .hasMessageContaining("unix:///absolute/path");
        assertThatThrownBy(() -> LbChannelBuilder.forTarget("unix:///").usePlaintext().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path is missing");
    }

    @Test
    void theTransportAndOwnEventLoopsCannotBothBeChosen() {
        io.netty.channel.EventLoopGroup loops = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());
        try {
            assertThatThrownBy(() -> LbChannelBuilder.forTarget("unix://" + socket).usePlaintext()
                    .transport(TransportKind.NIO)
                    .eventLoopGroup(loops, io.netty.channel.socket.nio.NioSocketChannel.class).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("set only one of them");
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static boolean canLoad(TransportKind kind) {
        try {
            kind.io();
            return true;
        } catch (IllegalStateException e) {
            System.err.println("Skipping " + kind + ": " + e.getMessage());
            return false;
        }
    }
}
