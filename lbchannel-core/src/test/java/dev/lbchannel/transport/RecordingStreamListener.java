package dev.lbchannel.transport;

import io.grpc.Metadata;
import io.grpc.Status;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records one stream's events; reads and closes each message on the event loop. */
final class RecordingStreamListener implements ClientStreamListener {

    record Closed(Status status, RpcProgress progress, Metadata trailers) {
    }

    final CompletableFuture<Metadata> headers = new CompletableFuture<>();
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<RuntimeException> readErrors = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final AtomicInteger onReady = new AtomicInteger();
    final AtomicInteger closeCount = new AtomicInteger();

    @Override
    public void onHeaders(Metadata metadata) {
        headers.complete(metadata);
    }

    @Override
    public void onMessage(InputStream message) {
        try (message) {
            messages.add(message.readAllBytes());
        } catch (RuntimeException e) {
            readErrors.add(e);
        } catch (IOException e) {
            readErrors.add(new IllegalStateException(e));
        }
    }

    @Override
    public void onReady() {
        onReady.incrementAndGet();
    }

    @Override
    public void onClose(Status status, RpcProgress progress, Metadata trailers) {
        closeCount.incrementAndGet();
        closed.complete(new Closed(status, progress, trailers));
    }

    Closed awaitClose() throws Exception {
        return closed.get(20, TimeUnit.SECONDS);
    }

    byte[] awaitMessage() throws InterruptedException {
        byte[] message = messages.poll(20, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("No message within 20 s");
        }
        return message;
    }
}
