package dev.lbchannel.testing;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ClientCall.Listener} that records what it hears: headers, messages, every
 * {@code onClose} (so a second one shows), and the thread each callback ran on. Thread-safe.
 */
public class RecordingListener<T> extends ClientCall.Listener<T> {

    private final AtomicReference<@Nullable Metadata> headers = new AtomicReference<>();
    private final List<T> messages = new CopyOnWriteArrayList<>();
    private final List<Status> closes = new CopyOnWriteArrayList<>();
    private final AtomicInteger readies = new AtomicInteger();

    @Override
    public void onHeaders(Metadata responseHeaders) {
        headers.set(responseHeaders);
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
        closes.add(status);
    }

    public @Nullable Metadata headers() {
        return headers.get();
    }

    public List<T> messages() {
        return List.copyOf(messages);
    }

    /** Every status {@code onClose} was called with, in order; more than one is a contract breach. */
    public List<Status> closes() {
        return List.copyOf(closes);
    }

    public boolean isClosed() {
        return !closes.isEmpty();
    }

    /** Waits (bounded) for the first {@code onClose} and returns its status. */
    public Status awaitClose(Duration bound) {
        Await.until("onClose", bound, this::isClosed);
        return closes.get(0);
    }
}
