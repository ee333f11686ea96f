package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM-wide pools channels share (event loops, callback executor, offload executor): they
 * stay while any channel uses them, and when the last one terminates no lbchannel thread remains.
 */
@Timeout(60)
class SharedPoolsTests {

    private static final List<String> POOL_THREADS = List.of("lbchannel-offload-", "lbchannel-executor-",
            "lbchannel-eventloop-");

    private final TestBackend backend = TestBackend.plaintext();

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Test
    void poolsOutliveTheFirstChannelAndEndWithTheLast() throws Exception {
        Await.until("channels of earlier tests to give the pools back (a leaked channel holds them)",
                () -> SharedOffloadExecutor.users() == 0 && SharedExecutor.users() == 0);
        LbChannel first = channel();
        LbChannel second = channel();
        assertThat(callbackThread(first)).startsWith("lbchannel-executor-");
        assertThat(callbackThread(second)).startsWith("lbchannel-executor-");
        assertThat(SharedOffloadExecutor.users()).isEqualTo(2);

        terminate(first);
        assertThat(SharedOffloadExecutor.users()).isEqualTo(1);
        assertThat(SharedExecutor.users()).isEqualTo(1);
        assertThat(callbackThread(second)).startsWith("lbchannel-executor-");

        terminate(second);
        assertThat(SharedOffloadExecutor.users()).isZero();
        assertThat(SharedExecutor.users()).isZero();
        Await.until("no lbchannel thread left", Duration.ofSeconds(20), () -> poolThreads().isEmpty());
    }

    @Test
    void aTerminatedChannelStillClosesLateCallsAndAnswersStateWatchers() throws Exception {
        LbChannel channel = channel();
        callbackThread(channel);
        terminate(channel);

        CompletableFuture<Status> closed = new CompletableFuture<>();
        TestServiceGrpc.newStub(channel).emptyCall(Empty.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(Empty value) {
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                closed.complete(Status.OK);
            }
        });
        assertThat(closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);

        CountDownLatch notified = new CountDownLatch(1);
        channel.notifyWhenStateChanged(ConnectivityState.READY, notified::countDown);
        assertThat(notified.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A channel on the shared pools: no executor of its own, and a host name to look up. */
    private LbChannel channel() {
        return LbChannelBuilder.forTarget("static:///localhost:" + backend.port()).usePlaintext().build();
    }

    private static void terminate(LbChannel channel) throws InterruptedException {
        channel.shutdown();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("terminated").isTrue();
    }

    /** Makes one call with an async stub and returns the name of the thread its callback ran on. */
    private static String callbackThread(LbChannel channel) throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        TestServiceGrpc.newStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(Empty value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        thread.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        thread.complete(Thread.currentThread().getName());
                    }
                });
        return thread.get(20, TimeUnit.SECONDS);
    }

    private static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> POOL_THREADS.stream().anyMatch(name::startsWith))
                .toList();
    }
}
