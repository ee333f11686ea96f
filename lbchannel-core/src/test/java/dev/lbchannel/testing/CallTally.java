package dev.lbchannel.testing;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls a load test starts and ends and keeps the statuses of those that failed, so
 * that "no call failed" is asserted over every call, including the ones still in flight when the
 * load stops. Thread-safe.
 */
public final class CallTally {

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final ConcurrentLinkedQueue<Status> failures = new ConcurrentLinkedQueue<>();

    /** Counts one call started and returns the observer to give it. */
    public <T> StreamObserver<T> start() {
        started.incrementAndGet();
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
            }

            @Override
            public void onError(Throwable t) {
                failures.add(Status.fromThrowable(t));
                ended.incrementAndGet();
            }

            @Override
            public void onCompleted() {
                ended.incrementAndGet();
            }
        };
    }

    public int started() {
        return started.get();
    }

    /** Waits (bounded) until every call started has ended. */
    public void awaitAllEnded(Duration timeout) {
        Await.until("every call ended", timeout, () -> ended.get() == started.get());
    }

    /** The failed calls' statuses, in the order they ended. */
    public List<Status> failures() {
        return List.copyOf(failures);
    }

    /** Failures counted by code and description, for an assertion's message. */
    public Map<String, Integer> failuresByStatus() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Status status : failures()) {
            counts.merge(status.getCode() + " " + status.getDescription(), 1, Integer::sum);
        }
        return counts;
    }
}
