package dev.lbchannel.boot.autoconfigure;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fail-fast calls from a few threads through one stub, back to back, until closed: counts the
 * calls that succeeded and keeps the status of every one that failed.
 */
final class CallLoad implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private final List<Status> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger succeeded = new AtomicInteger();
    private volatile boolean running = true;

    CallLoad(String name, TestServiceBlockingStub stub, int concurrency) {
        for (int i = 0; i < concurrency; i++) {
            Thread thread = new Thread(() -> {
                while (running) {
                    try {
                        stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
                        succeeded.incrementAndGet();
                    } catch (StatusRuntimeException e) {
                        failures.add(e.getStatus());
                    }
                }
            }, name + "-load-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    int succeeded() {
        return succeeded.get();
    }

    List<Status> failures() {
        return failures;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }
}
