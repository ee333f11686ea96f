package dev.lbchannel.reliability;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ServedByCounter;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link BackendProcess}: a backend JVM that dies, shuts down, comes back and slows down as told. */
@Timeout(120)
class BackendProcessTests {

    private final List<BackendProcess> backends = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.forEach(BackendProcess::close);
    }

    @Test
    void killSendsSigkillAndRestartServesOnTheSamePort() {
        BackendProcess backend = started(BackendProcess.builder());
        ServedByCounter servedBy = new ServedByCounter();
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(
                ClientInterceptors.intercept(grpcJava(backend), servedBy)).withDeadlineAfter(20, TimeUnit.SECONDS);
        stub.emptyCall(Empty.getDefaultInstance());
        assertThat(servedBy.served(backend.hostAndPort())).isEqualTo(1);
        long pid = backend.pid();
        int port = backend.port();

        backend.kill();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEqualTo(Optional.empty());
        assertThat(backend.exitValue()).as("128 + SIGKILL").isEqualTo(137);
        assertThatThrownBy(() -> stub.emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

        backend.restart();

        assertThat(backend.port()).isEqualTo(port);
        assertThat(backend.pid()).isNotEqualTo(pid);
        stub.withWaitForReady().emptyCall(Empty.getDefaultInstance());
        assertThat(servedBy.served(backend.hostAndPort())).isEqualTo(2);
    }

    @Test
    void gracefulShutdownLetsAnOpenCallFinishThenExits() {
        BackendProcess backend = started(BackendProcess.builder().delayEvery(1, Duration.ofSeconds(1)));
        ManagedChannel channel = grpcJava(backend);
        var open = TestServiceGrpc.newFutureStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
        Await.until("the call reaches the backend", () -> backend.heldCalls() == 1);

        backend.shutdown();

        assertThat(backend.exitValue()).isZero();
        assertThat(open).succeedsWithin(Duration.ofSeconds(10));
        assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void delayHoldsBackEveryNthUnaryCall() {
        Duration delay = Duration.ofSeconds(2);
        BackendProcess backend = started(BackendProcess.builder().delayEvery(3, delay));
        var stub = TestServiceGrpc.newBlockingStub(grpcJava(backend));
        List<Boolean> slow = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            long start = System.nanoTime();
            stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            slow.add(System.nanoTime() - start >= delay.toNanos());
        }
        assertThat(slow).containsExactly(false, false, true, false, false, true);
        assertThat(backend.heldCalls()).isEqualTo(2);
    }

    @Test
    void maxConnectionAgeHasTheServerEndConnectionsGracefully() {
        BackendProcess backend = started(BackendProcess.builder().maxConnectionAge(Duration.ofSeconds(1)));
        LbChannel channel = LbChannelBuilder.forTarget("passthrough:///" + backend.hostAndPort()).usePlaintext()
                .build();
        channels.add(channel);
        var stub = TestServiceGrpc.newBlockingStub(channel);
        Await.until("a second connection", () -> {
            stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            return channel.snapshot().connections().attemptsSucceeded() >= 2;
        });
    }

    @Test
    void closingItsInputStopsItAsTheTestJvmDyingWould() {
        BackendProcess backend = started(BackendProcess.builder());

        backend.close();

        assertThat(backend.isAlive()).isFalse();
        assertThat(backend.exitValue()).as("exited by itself, not killed").isZero();
    }

    private BackendProcess started(BackendProcess.Builder builder) {
        BackendProcess backend = builder.start();
        backends.add(backend);
        return backend;
    }

    private ManagedChannel grpcJava(BackendProcess backend) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(backend.address()).usePlaintext().build();
        channels.add(channel);
        return channel;
    }
}
