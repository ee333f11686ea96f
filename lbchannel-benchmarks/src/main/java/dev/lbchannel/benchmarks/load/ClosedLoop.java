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
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * Keeps a workload's calls outstanding on one channel through the generated async stub, as an
 * application would: each completed call starts the next one from its own callback, on whatever
 * thread the channel delivers it. It counts operations (unary calls, or messages received on a
 * server-streaming or bidi call) and records each call's latency, start to close.
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
    private final StreamingOutputCallRequest bidiRequest;
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
        this.bidiRequest = StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(workload.payloadBytes()))
                .setPayload(Payload.newBuilder().setBody(body))
                .build();
    }

    /** Starts {@code concurrency} call chains. */
    void start() {
        running = true;
        for (int i = 0; i < workload.concurrency(); i++) {
            outstanding.started();
            switch (workload.shape()) {
                case UNARY -> new UnarySlot().next();
                case SERVER_STREAMING -> new StreamingSlot().next();
                case BIDI -> new BidiSlot().next();
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

    /**
     * One chain of bidi calls played ping-pong: a call sends a request for one response, waits for
     * it, sends the next, {@code messagesPerCall} times, then half-closes and waits for the
     * server's close. Every response counts as an operation.
     *
     * <p>Inbound flow control is the async stub's usual window of one message, except that each
     * response is requested only after the request it answers was sent. The response's callback
     * sends the next request, so it can never overlap the send that began the call on another
     * thread: {@code ClientCall} is not thread-safe, but {@code request} may come from any thread.
     * Outbound needs no window: one request is in flight at a time.
     */
    private final class BidiSlot
            implements ClientResponseObserver<StreamingOutputCallRequest, StreamingOutputCallResponse> {
        private long startNanos;
        private int received;
        private @Nullable ClientCallStreamObserver<StreamingOutputCallRequest> requests;

        void next() {
            startNanos = System.nanoTime();
            received = 0;
            stub.fullDuplexCall(this);
            ClientCallStreamObserver<StreamingOutputCallRequest> out = requireNonNull(requests, "requests");
            out.onNext(bidiRequest);
            out.request(1);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<StreamingOutputCallRequest> stream) {
            stream.disableAutoRequestWithInitial(0);
            requests = stream;
        }

        @Override
        public void onNext(StreamingOutputCallResponse response) {
            operations.increment();
            ClientCallStreamObserver<StreamingOutputCallRequest> out = requireNonNull(requests, "requests");
            if (++received < workload.messagesPerCall()) {
                out.onNext(bidiRequest);
            } else {
                out.onCompleted();
            }
            out.request(1); // the next response, or after the half-close only the server's close
        }

        @Override
        public void onError(Throwable t) {
            failed(t);
        }

        @Override
        public void onCompleted() {
            if (received != workload.messagesPerCall()) {
                // A close before the last answer would otherwise pass for a short, fast call.
                failed(new IllegalStateException("fullDuplexCall closed after " + received + " of "
                        + workload.messagesPerCall() + " responses"));
                return;
            }
            completed(startNanos);
            if (continueOrRetire()) {
                next();
            }
        }
    }
}
