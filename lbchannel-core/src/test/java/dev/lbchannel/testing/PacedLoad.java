package dev.lbchannel.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Unary interop calls ({@code grpc.testing.TestService/UnaryCall}) started at a steady rate,
 * evenly spaced, fail-fast and without retries, until {@link #stop()}; every call is counted by a
 * {@link CallTally}, so "no call failed" covers the calls still in flight when the load stops.
 * For tests that change a channel's endpoints under load.
 */
public final class PacedLoad implements AutoCloseable {

    public static final int CALLS_PER_SECOND = 150;
    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(16).build();

    private final CallTally tally = new CallTally();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "paced-load");
        thread.setDaemon(true);
        return thread;
    });

    private PacedLoad(Channel channel) {
        pacer.scheduleAtFixedRate(() -> ClientCalls.asyncUnaryCall(
                        channel.newCall(TestServiceGrpc.getUnaryCallMethod(),
                                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)), REQUEST, tally.start()),
                0, 1_000_000L / CALLS_PER_SECOND, TimeUnit.MICROSECONDS);
    }

    public static PacedLoad start(Channel channel) {
        return new PacedLoad(channel);
    }

    public int started() {
        return tally.started();
    }

    /** Waits (bounded) until {@code calls} more calls have started. */
    public void awaitMoreCalls(int calls) {
        int target = tally.started() + calls;
        Await.until(calls + " more calls started", Duration.ofSeconds(30), () -> tally.started() >= target);
    }

    /** Stops starting calls and waits (bounded) for those in flight to end. */
    public CallTally stop() {
        pacer.shutdown();
        try {
            pacer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tally.awaitAllEnded(Duration.ofSeconds(30));
        return tally;
    }

    @Override
    public void close() {
        pacer.shutdownNow();
    }
}
