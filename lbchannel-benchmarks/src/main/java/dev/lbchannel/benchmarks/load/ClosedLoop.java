package dev.lbchannel.benchmarks.load;

import com.google.protobuf.ByteString;
import dev.lbchannel.benchmarks.OutstandingCalls;
import io.grpc.Channel;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps a workload's calls outstanding on one channel through the generated async stub, as an
 * application would: each completed call starts the next one from its own callback, on whatever
 * thread the channel delivers it. It counts operations (unary calls or streamed messages) and
 * records each call's latency, start to close.
 *
 * <p>Thread-safe: callbacks run on the channel's threads, {@link #stop} and the readers on the
 * harness thread. The counters and recorder neither lock nor allocate per call, so the harness
 * adds the same small cost to every client.
 */
final class ClosedLoop {

    private final TestServiceGrpc.TestServiceStub stub;
    private final Workload workload;
    private final SimpleRequest unaryRequest;
    private final StreamingOutputCallRequest streamingRequest;
    private final LongAdder operations = new LongAdder();
    private final Recorder latencies = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final OutstandingCalls outstanding = new OutstandingCalls();
    private final AtomicReference<@Nullable Throwable> firstError = new AtomicReference<>();
    private volatile boolean running;

    ClosedLoop(Channel channel, Workload workload) {
        this.stub = TestServiceGrpc.newStub(channel);
        this.workload = workload;
        ByteString body = ByteString.copyFrom(new byte[workload.payloadBytes()]);
        this.unaryRequest = SimpleRequest.newBuilder()
                .setResponseSize(workload.payloadBytes())
                .setPayload(Payload.newBuilder().setBody(body))
                .build();
        StreamingOutputCallRequest.Builder streaming = StreamingOutputCallRequest.newBuilder();
        for (int i = 0; i < workload.messagesPerCall(); i++) {
            streaming.addResponseParameters(ResponseParameters.newBuilder().setSize(workload.payloadBytes()));
        }
        this.streamingRequest = streaming.build();
    }

    /** Starts {@code concurrency} call chains. */
    void start() {
        running = true;
        for (int i = 0; i < workload.concurrency(); i++) {
            outstanding.started();
            if (workload.streaming()) {
                new StreamingSlot().next();
            } else {
                new UnarySlot().next();
            }
        }
    }

    long operations() {
        return operations.sum();
    }

    /** Call latencies since the previous call of this method, in nanoseconds. */
    Histogram takeLatencies() {
        return latencies.getIntervalHistogram();
    }

    @Nullable Throwable firstError() {
        return firstError.get();
    }

    /** Lets outstanding calls finish without starting new ones; false if some did not in time. */
    boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
        running = false;
        return outstanding.awaitNone(timeout, unit);
    }

    private void completed(long startNanos) {
        latencies.recordValue(System.nanoTime() - startNanos);
    }

    private void failed(Throwable t) {
        firstError.compareAndSet(null, t);
        outstanding.ended(); // this chain ends: a failing server must not be spun on
    }

    private boolean continueOrRetire() {
        if (running) {
            return true;
        }
        outstanding.ended();
        return false;
    }

    /** One chain of unary calls; reused for each call of the chain, one call at a time. */
    private final class UnarySlot implements StreamObserver<SimpleResponse> {
        private long startNanos;

        void next() {
            startNanos = System.nanoTime();
            stub.unaryCall(unaryRequest, this);
        }

        @Override
        public void onNext(SimpleResponse response) {
        }

        @Override
        public void onError(Throwable t) {
            failed(t);
        }

        @Override
        public void onCompleted() {
            completed(startNanos);
            operations.increment();
            if (continueOrRetire()) {
                next();
            }
        }
    }

    /** One chain of server-streaming calls; every received message counts as an operation. */
    private final class StreamingSlot implements StreamObserver<StreamingOutputCallResponse> {
        private long startNanos;

        void next() {
            startNanos = System.nanoTime();
            stub.streamingOutputCall(streamingRequest, this);
        }

        @Override
        public void onNext(StreamingOutputCallResponse response) {
            operations.increment();
        }

        @Override
        public void onError(Throwable t) {
            failed(t);
        }

        @Override
        public void onCompleted() {
            completed(startNanos);
            if (continueOrRetire()) {
                next();
            }
        }
    }
}
