package dev.lbchannel.testing;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A response observer that completes with the call's final status and counts responses. */
public class StatusObserver<T> implements StreamObserver<T> {

    private final CompletableFuture<Status> closed;
    private final AtomicInteger responses;

    public StatusObserver(CompletableFuture<Status> closed) {
        this(closed, new AtomicInteger());
    }

    public StatusObserver(CompletableFuture<Status> closed, AtomicInteger responses) {
        this.closed = closed;
        this.responses = responses;
    }

    @Override
    public void onNext(T value) {
        responses.incrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
        closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        closed.complete(Status.OK);
    }
}
