package dev.lbchannel.benchmarks.scenario;

import dev.lbchannel.benchmarks.OutstandingCalls;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed number of unary calls kept outstanding on one channel: each call that ends, in success
 * or failure, starts the next from its callback, as an application's worker would. Unlike the load
 * harness's loop, a failure does not end its chain (the failing-backend scenario needs the load to
 * go on). Successful calls' latencies go to a recorder, and every call is counted per backend (the
 * backend names itself in the response or the failure's description) on the current timeline.
 *
 * <p>Thread-safe: callbacks run on the channel's threads, the other methods on the harness thread.
 */
final class ScenarioLoop {

    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(0).build();

    private final TestServiceGrpc.TestServiceStub stub;
    private final int concurrency;
    private final Recorder latencies = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final LongAdder failures = new LongAdder();
    private final OutstandingCalls outstanding = new OutstandingCalls();
    private volatile @Nullable BackendTimeline timeline;
    private volatile boolean running;

    ScenarioLoop(Channel channel, int concurrency) {
        this.stub = TestServiceGrpc.newStub(channel);
        this.concurrency = concurrency;
    }

    void start() {
        running = true;
        for (int i = 0; i < concurrency; i++) {
            outstanding.started();
            new Slot().next();
        }
    }

    /** Starts counting calls per backend on {@code t}; earlier calls are not on any timeline. */
    void countOn(BackendTimeline t) {
        timeline = t;
    }

    /** Successful calls' latencies since the previous call of this method, in nanoseconds. */
    Histogram takeLatencies() {
        return latencies.getIntervalHistogram();
    }

    /** Failed calls since the previous call of this method. */
    long takeFailures() {
        return failures.sumThenReset();
    }

    /** Lets outstanding calls finish without starting new ones; false if some did not in time. */
    boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
        running = false;
        return outstanding.awaitNone(timeout, unit);
    }

    private void count(int backend, boolean ok) {
        BackendTimeline t = timeline;
        if (t != null) {
            t.record(System.nanoTime(), backend, ok);
        }
    }

    /** The backend a failure came from, if a backend produced it (else -1: the client failed it). */
    static int failedBackend(Throwable t) {
        String description = Status.fromThrowable(t).getDescription();
        if (description == null || !description.startsWith(ScenarioBackend.FAILURE_PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(description.substring(ScenarioBackend.FAILURE_PREFIX.length()).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One chain of calls, one at a time. */
    private final class Slot implements StreamObserver<SimpleResponse> {
        private long startNanos;
        private int backend = -1;

        void next() {
            startNanos = System.nanoTime();
            backend = -1;
            stub.unaryCall(REQUEST, this);
        }

        @Override
        public void onNext(SimpleResponse response) {
            backend = Integer.parseInt(response.getServerId());
        }

        @Override
        public void onError(Throwable t) {
            failures.increment();
            count(failedBackend(t), false);
            continueOrRetire();
        }

        @Override
        public void onCompleted() {
            latencies.recordValue(System.nanoTime() - startNanos);
            count(backend, true);
            continueOrRetire();
        }

        private void continueOrRetire() {
            if (running) {
                next();
            } else {
                outstanding.ended();
            }
        }
    }
}
