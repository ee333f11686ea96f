package dev.lbchannel.transport;

import io.grpc.Status;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records a transport's life: ready, shutdown (with status) and terminated, with counts. */
final class RecordingTransportListener implements TransportListener {

    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<Status> shutdown = new CompletableFuture<>();
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    final AtomicInteger shutdownCount = new AtomicInteger();
    final AtomicInteger terminatedCount = new AtomicInteger();

    @Override
    public void transportReady() {
        ready.complete(null);
    }

    @Override
    public void transportShutdown(Status reason) {
        shutdownCount.incrementAndGet();
        shutdown.complete(reason);
    }

    @Override
    public void transportTerminated() {
        if (!shutdown.isDone()) {
            throw new AssertionError("terminated before shutdown");
        }
        terminatedCount.incrementAndGet();
        terminated.complete(null);
    }

    void awaitReady() throws Exception {
        ready.get(20, TimeUnit.SECONDS);
    }

    Status awaitShutdown() throws Exception {
        return shutdown.get(20, TimeUnit.SECONDS);
    }

    void awaitTerminated() throws Exception {
        terminated.get(20, TimeUnit.SECONDS);
    }
}
