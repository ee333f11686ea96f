package dev.lbchannel.testing;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ClientCall.Listener} that records what a raw call hears: its response headers, its
 * messages, how often it was closed and with what. Thread-safe.
 */
public class RecordingCallListener<T> extends ClientCall.Listener<T> {

    /** What a call closed with. */
    public record Closed(Status status, Metadata trailers) {
    }

    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final CompletableFuture<Metadata> headers = new CompletableFuture<>();
    private final List<T> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger readies = new AtomicInteger();

    @Override
    public void onHeaders(Metadata responseHeaders) {
        headers.complete(responseHeaders);
    }

    @Override
    public void onMessage(T message) {
        messages.add(message);
    }

    @Override
    public void onReady() {
        readies.incrementAndGet();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        closes.incrementAndGet();
        closed.complete(new Closed(status, trailers));
    }

    /** The close, waiting up to 20 s for it. */
    public Closed awaitClose() {
        return await(closed, "onClose");
    }

    public Status awaitStatus() {
        return awaitClose().status();
    }

    public Metadata awaitHeaders() {
        return await(headers, "onHeaders");
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** How many times onClose was called: 1 for a closed call, whatever raced it. */
    public int closeCount() {
        return closes.get();
    }

    public int readyCount() {
        return readies.get();
    }

    public List<T> messages() {
        return messages;
    }

    private static <V> V await(CompletableFuture<V> future, String what) {
        try {
            return future.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not come within 20 s", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
