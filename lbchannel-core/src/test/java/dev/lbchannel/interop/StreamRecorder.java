package dev.lbchannel.interop;

import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a stub's response observer hears; every wait is bounded. */
final class StreamRecorder<T> implements StreamObserver<T> {

    private static final long WAIT_SECONDS = 20;

    final List<T> values = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
        values.add(value);
        queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        done.complete(null);
    }

    /** The next value, waiting at most a bounded time. */
    T next() throws InterruptedException {
        T value = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (value == null) {
            throw new AssertionError("No response within " + WAIT_SECONDS + " s");
        }
        return value;
    }

    /** Waits for the end of the stream; returns its error, or {@code null} on success. */
    Throwable awaitCompletion() throws Exception {
        try {
            done.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }
}
