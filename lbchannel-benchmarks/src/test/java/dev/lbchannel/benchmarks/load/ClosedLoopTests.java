package dev.lbchannel.benchmarks.load;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.TestServiceImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bidi closed loop against the harness's own server, in process on loopback: grpc-java's
 * {@code TestServiceImpl} on its Netty server with a direct executor, as {@link LoadServer} runs
 * it. Each client kind is one that the harness compares, with callbacks on the event loop and on
 * the libraries' default executors.
 */
@Timeout(60)
class ClosedLoopTests {

    private static final Workload BIDI = Workload.bidi(4, 16, 10);

    private final List<ManagedChannel> channels = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private Server server;

    @BeforeEach
    void startServer() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(new TestServiceImpl(scheduler))
                .build()
                .start();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        scheduler.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(value = ClientKind.class, names = {"LBCHANNEL", "LBCHANNEL_DEFAULT", "GRPC_DIRECT", "GRPC_SHIPPED"})
    void bidiStreamsCountEveryResponseAndCloseEveryCall(ClientKind kind) throws InterruptedException {
        ClosedLoop loop = new ClosedLoop(open(kind), BIDI);
        loop.start();

        // Enough responses that every slot has gone round several whole calls.
        awaitTrue(() -> loop.operations() >= 20L * BIDI.messagesPerCall() || loop.firstError() != null);
        assertThat(loop.stop(10, TimeUnit.SECONDS)).as("calls drained").isTrue();

        assertThat(loop.firstError()).isNull();
        long operations = loop.operations();
        assertThat(operations).isPositive();
        // Drained without errors, every call ran to its last response, and was timed once.
        assertThat(operations % BIDI.messagesPerCall()).isZero();
        assertThat(loop.takeLatencies().getTotalCount()).isEqualTo(operations / BIDI.messagesPerCall());
    }

    @ParameterizedTest
    @EnumSource(value = ClientKind.class, names = {"LBCHANNEL", "GRPC_DIRECT"})
    void aServerThatGoesAwayIsSurfacedAndEndsEveryChain(ClientKind kind) throws InterruptedException {
        ClosedLoop loop = new ClosedLoop(open(kind), BIDI);
        loop.start();
        awaitTrue(() -> loop.operations() > 0 || loop.firstError() != null);

        server.shutdownNow();

        awaitTrue(() -> loop.firstError() != null);
        // Each failed call ends its chain, so stopping finds nothing left to wait for.
        assertThat(loop.stop(10, TimeUnit.SECONDS)).as("chains ended").isTrue();
    }

    private ManagedChannel open(ClientKind kind) {
        ManagedChannel channel = kind.open(server.getPort());
        channels.add(channel);
        return channel;
    }

    /** Polls {@code condition} every millisecond for up to ten seconds. */
    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s for the condition").isNegative();
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }
}
