package dev.lbchannel.etcd;

import dev.lbchannel.testing.CallTally;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unary calls at a steady rate, evenly spaced, fail-fast and without retries, until stopped; the
 * outcome of every call is kept in a {@link CallTally}. For the end-to-end tests.
 */
final class SteadyLoad implements AutoCloseable {

    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(16).build();

    private final CallTally tally = new CallTally();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "etcd-load-pacer");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledFuture<?> load;

    /** Starts {@code callsPerSecond} calls a second on {@code channel}. */
    SteadyLoad(Channel channel, int callsPerSecond) {
        load = pacer.scheduleAtFixedRate(() -> ClientCalls.asyncUnaryCall(
                channel.newCall(TestServiceGrpc.getUnaryCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                REQUEST, tally.start()), 0, 1_000_000L / callsPerSecond, TimeUnit.MICROSECONDS);
    }

    int started() {
        return tally.started();
    }

    /**
     * Stops starting calls, waits (bounded) for those in flight, and asserts that none failed;
     * prints the figures for the test's output, under {@code what}.
     */
    void stopAndAssertNoFailure(String what) {
        load.cancel(false);
        pacer.shutdown();
        tally.awaitAllEnded(Duration.ofSeconds(30));
        System.out.printf("%s: %d calls, %d failed%n", what, tally.started(), tally.failures().size());
        assertThat(tally.failures()).as("%d of %d calls failed, by status: %s", tally.failures().size(),
                tally.started(), tally.failuresByStatus()).isEmpty();
    }

    @Override
    public void close() {
        pacer.shutdownNow();
    }
}
