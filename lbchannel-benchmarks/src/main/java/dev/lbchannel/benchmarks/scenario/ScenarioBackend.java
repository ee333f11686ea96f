package dev.lbchannel.benchmarks.scenario;

import io.grpc.Status;
import io.grpc.services.CallMetricRecorder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpc;

import java.util.ArrayDeque;
import java.util.Queue;
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
 * server's would.
 *
 * <p>Like a real server with a fixed pool of {@link #WORKERS} workers, it serves that many calls at
 * once and queues the rest in arrival order; a call's delay starts when a worker takes it. So a
 * backend that is 5× slower per call also serves 5× fewer calls per second, and a policy that
 * keeps sending it a full share builds a queue there. With delays alone (no limit) a slow backend
 * only ever adds its own delay, and no policy that sends it more than 1 % of the calls could move
 * the p99. Thread-safe.
 */
final class ScenarioBackend extends TestServiceGrpc.TestServiceImplBase {

    /** Calls in flight at which a backend reports full utilization. */
    static final double CAPACITY = 16;
    static final String FAILURE_PREFIX = "backend ";
    /** Calls a backend serves at once; the rest wait for a worker. */
    static final int WORKERS = 8;
    /** How often the reported rates are sampled. */
    static final long RATE_PERIOD_MILLIS = 250;

    private final int index;
    private final BackendBehaviour behaviour;
    private final ScheduledExecutorService timer;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Calls waiting for a worker, and how many workers are busy; guarded by {@code this}. */
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private int serving;
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
        Waiting call = new Waiting((ServerCallStreamObserver<SimpleResponse>) responses,
                CallMetricRecorder.getCurrent());
        inFlight.incrementAndGet();
        synchronized (this) {
            if (serving == WORKERS) {
                waiting.add(call);
                return;
            }
            serving++;
        }
        serve(call);
    }

    /** A worker takes the call: it answers after the backend's delay as of now, then takes the next. */
    private void serve(Waiting call) {
        long delay = behaviour.delayNanos(System.nanoTime());
        boolean fail = behaviour.shouldFail();
        timer.schedule(() -> {
            int busy = inFlight.getAndDecrement();
            answered.increment();
            call.metrics().recordCpuUtilizationMetric(busy / CAPACITY).recordQpsMetric(qps).recordEpsMetric(eps);
            if (fail) {
                failed.increment();
                call.responses().onError(
                        Status.UNAVAILABLE.withDescription(FAILURE_PREFIX + index).asRuntimeException());
            } else {
                call.responses().onNext(SimpleResponse.newBuilder().setServerId(Integer.toString(index)).build());
                call.responses().onCompleted();
            }
            takeNext();
        }, delay, TimeUnit.NANOSECONDS);
    }

    /** The worker that finished takes the next waiting call; one its client gave up on is dropped, as a server would. */
    private void takeNext() {
        while (true) {
            Waiting next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    serving--;
                    return;
                }
            }
            if (!next.responses().isCancelled()) {
                serve(next);
                return;
            }
            inFlight.decrementAndGet();
        }
    }

    /** A call waiting for a worker. */
    private record Waiting(ServerCallStreamObserver<SimpleResponse> responses, CallMetricRecorder metrics) {
    }
}
