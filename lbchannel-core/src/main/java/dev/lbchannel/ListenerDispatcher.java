package dev.lbchannel;

import dev.lbchannel.transport.InboundMessageException;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one call's stream events to the application's {@link ClientCall.Listener}, in order,
 * on the call's executor, with the call's {@link Context} attached, and parses response messages
 * there (never on an event loop). It is the call's {@link CallbackExecutor} itself, which keeps
 * those callbacks in order.
 *
 * <p>As in grpc-java, a listener that throws from {@code onHeaders}, {@code onMessage} or
 * {@code onReady} cancels the call: nothing more is delivered but {@code onClose}, which carries
 * CANCELLED with the exception as its cause. Only what {@code onClose} itself throws is logged
 * and dropped, since nobody is left to hear it.
 *
 * <p>Received messages wait in a queue of their own rather than inside queued tasks, so that a
 * call that is cancelled (by the application, its context, its deadline or the channel) releases
 * the messages it will never deliver at once, even when its executor never runs again.
 */
final class ListenerDispatcher<RespT> extends CallbackExecutor {

    private static final Logger logger = Logger.getLogger(ListenerDispatcher.class.getName());

    private final MethodDescriptor<?, RespT> method;
    private final ClientCall.Listener<RespT> listener;
    private final ChannelCall<?, RespT> call;
    private final Context context;
    /** Messages received and not yet delivered; created when a message first has to wait. */
    private volatile @Nullable Queue<InputStream> undelivered;
    private volatile @Nullable Runnable deliverNext;
    /** Set when the call was cancelled: messages are released instead of delivered. */
    private volatile @Nullable Status discardedFor;
    /** A received message was released undelivered; an OK close must not claim otherwise. */
    private volatile boolean droppedAny;

    // Confined to the callbacks, which run one at a time.
    private boolean closed;
    /** Why the listener's own callback failed; the call closes with it. */
    private @Nullable Status failure;

    /**
     * @param call cancelled with a status when a callback throws or a message cannot be read
     * @param context attached while each callback runs
     */
    ListenerDispatcher(Executor executor, MethodDescriptor<?, RespT> method, ClientCall.Listener<RespT> listener,
            ChannelCall<?, RespT> call, Context context) {
        super(executor);
        this.method = method;
        this.listener = listener;
        this.call = call;
        this.context = context;
    }

    // Each event runs inline when the call's executor is direct and idle (no task object), else
    // is queued; the two branches run the same private method.

    void headers(Metadata headers) {
        if (!enterDirect()) {
            execute(() -> onHeaders(headers));
            return;
        }
        try {
            onHeaders(headers);
        } finally {
            exitDirect();
        }
    }

    /** Takes ownership of {@code message}: it is closed once parsed or discarded. */
    void message(InputStream message) {
        if (discardedFor != null) {
            droppedAny = true;
            closeQuietly(message);
            return;
        }
        if (enterDirect()) {
            try {
                deliver(message);
            } finally {
                exitDirect();
            }
            return;
        }
        queue().add(message);
        execute(deliverNext);
        if (discardedFor != null) {
            discardUndelivered(discardedFor); // cancelled while we queued it: release it now
        }
    }

    void ready() {
        if (!enterDirect()) {
            execute(this::onReady);
            return;
        }
        try {
            onReady();
        } finally {
            exitDirect();
        }
    }

    void close(Status status, Metadata trailers) {
        if (!enterDirect()) {
            execute(() -> onClose(status, trailers));
            return;
        }
        try {
            onClose(status, trailers);
        } finally {
            exitDirect();
        }
    }

    /**
     * Releases every message not yet delivered, now, on this thread: the call was cancelled with
     * {@code reason}. When a message is released this way after the stream had ended well, the
     * application hears {@code reason} rather than OK, since it did not get every message. Any
     * thread.
     */
    void discardUndelivered(Status reason) {
        if (discardedFor == null) {
            discardedFor = reason;
        }
        Queue<InputStream> waiting = undelivered;
        if (waiting == null) {
            return;
        }
        for (InputStream message; (message = waiting.poll()) != null; ) {
            droppedAny = true;
            closeQuietly(message);
        }
    }

    // ---- the callbacks ----

    private void onHeaders(Metadata headers) {
        if (closed || failure != null) {
            return;
        }
        Context previous = attach();
        try {
            listener.onHeaders(headers);
        } catch (Throwable t) {
            listenerFailed("Failed to read headers.", t);
        } finally {
            detach(previous);
        }
    }

    private void deliverNext() {
        Queue<InputStream> waiting = undelivered;
        InputStream message = waiting == null ? null : waiting.poll();
        if (message != null) {
            deliver(message);
        }
    }

    private void deliver(InputStream message) {
        try (message) {
            if (closed || failure != null) {
                return;
            }
            Context previous = attach();
            try {
                listener.onMessage(method.parseResponse(message));
            } catch (Throwable t) {
                Status unreadable = InboundMessageException.statusIn(t);
                if (unreadable != null) {
                    failed(unreadable);
                } else {
                    listenerFailed("Failed to read message.", t);
                }
            } finally {
                detach(previous);
            }
        } catch (IOException e) {
            // Closing a buffer-backed message does not fail; nothing to recover.
        }
    }

    private void onReady() {
        if (closed || failure != null) {
            return;
        }
        Context previous = attach();
        try {
            listener.onReady();
        } catch (Throwable t) {
            listenerFailed("Failed to call onReady.", t);
        } finally {
            detach(previous);
        }
    }

    private void onClose(Status status, Metadata trailers) {
        if (closed) {
            return;
        }
        closed = true;
        Status outcome = status;
        Metadata outcomeTrailers = trailers;
        if (failure != null) {
            outcome = failure;
            outcomeTrailers = new Metadata();
        } else if (status.isOk() && droppedAny && discardedFor != null) {
            outcome = discardedFor;
            outcomeTrailers = new Metadata();
        }
        call.closeDelivered(outcome.isOk());
        Context previous = attach();
        try {
            listener.onClose(outcome, outcomeTrailers);
        } catch (Throwable t) {
            logger.log(Level.WARNING, "A call listener's onClose threw; the call is over, so it is dropped", t);
        } finally {
            detach(previous);
        }
    }

    /** Attaches the call's context, unless it is the root one (nothing to see, nothing to pay). */
    private @Nullable Context attach() {
        return context == Context.ROOT ? null : context.attach();
    }

    private void detach(@Nullable Context previous) {
        if (previous != null) {
            context.detach(previous);
        }
    }

    private void listenerFailed(String description, Throwable cause) {
        failed(Status.CANCELLED.withDescription(description).withCause(cause));
    }

    /** Stops delivery and cancels the call with {@code status}, which its onClose will carry. */
    private void failed(Status status) {
        failure = status;
        discardUndelivered(status);
        call.cancelFromCallback(status);
    }

    private Queue<InputStream> queue() {
        Queue<InputStream> existing = undelivered;
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            if (undelivered == null) {
                deliverNext = this::deliverNext;
                undelivered = new ConcurrentLinkedQueue<>();
            }
            return undelivered;
        }
    }

    /** Releases a received message without reading it. */
    static void closeQuietly(InputStream message) {
        try {
            message.close();
        } catch (IOException e) {
            // Closing a buffer-backed message does not fail.
        }
    }
}
