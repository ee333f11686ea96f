package dev.lbchannel.benchmarks.scenario;

import io.grpc.Status;
import io.grpc.services.CallMetricRecorder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpc;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One backend's {@code TestService.UnaryCall}: answers after the delay its {@link BackendBehaviour}
 * gives (on a timer, so a slow backend holds no thread), or fails with UNAVAILABLE, and names
 * itself in {@code server_id} (and in a failure's description) so the client can count calls per
 * backend. Each answer carries an ORCA per-call report (gRFC A51) with the backend's queries and
 * errors per second over the last {@link #RATE_PERIOD_MILLIS} and a CPU utilization of its calls in
 * flight over {@link #CAPACITY}: a slow backend holds more calls for the same rate, so
 * weighted_round_robin's qps / utilization comes out proportional to its speed, as a real busy
 * server's would. Thread-safe.
 */
final class ScenarioBackend extends TestServiceGrpc.TestServiceImplBase {

    /** Calls in flight at which a backend reports full utilization. */
    static final double CAPACITY = 16;
    static final String FAILURE_PREFIX = "backend ";
    /** How often the reported rates are sampled. */
    static final long RATE_PERIOD_MILLIS = 250;

    private final int index;
    private final BackendBehaviour behaviour;
    private final ScheduledExecutorService timer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder answered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile double qps;
    private volatile double eps;

    ScenarioBackend(int index, BackendBehaviour behaviour, ScheduledExecutorService timer) {
        this.index = index;
        this.behaviour = behaviour;
        this.timer = timer;
    }

    /** Starts sampling the rates its reports carry, every {@link #RATE_PERIOD_MILLIS} on the timer. */
    ScenarioBackend startRates() {
        timer.scheduleAtFixedRate(this::sampleRates, RATE_PERIOD_MILLIS, RATE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sampleRates() {
        double perSecond = 1000.0 / RATE_PERIOD_MILLIS;
        qps = answered.sumThenReset() * perSecond;
        eps = failed.sumThenReset() * perSecond;
    }

    @Override
    public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
        // The recorder belongs to this call's context, which the timer thread does not carry.
        CallMetricRecorder metrics = CallMetricRecorder.getCurrent();
        int busy = inFlight.incrementAndGet();
        long delay = behaviour.delayNanos(System.nanoTime());
        boolean fail = behaviour.shouldFail();
        timer.schedule(() -> {
            inFlight.decrementAndGet();
            answered.increment();
            metrics.recordCpuUtilizationMetric(busy / CAPACITY).recordQpsMetric(qps).recordEpsMetric(eps);
            if (fail) {
                failed.increment();
                responses.onError(Status.UNAVAILABLE.withDescription(FAILURE_PREFIX + index).asRuntimeException());
                return;
            }
            responses.onNext(SimpleResponse.newBuilder().setServerId(Integer.toString(index)).build());
            responses.onCompleted();
        }, delay, TimeUnit.NANOSECONDS);
    }
}
