package dev.lbchannel;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Delivers one call's stream events to the application's {@link ClientCall.Listener}, in order,
 * on the call's executor, and parses response messages there (never on an event loop). After
 * {@code onClose} nothing more is delivered; a message that fails to parse cancels the call.
 */
final class ListenerDispatcher<RespT> {

    private final CallbackExecutor callbacks;
    private final MethodDescriptor<?, RespT> method;
    private final ClientCall.Listener<RespT> listener;
    private final Consumer<Status> cancel;

    // Confined to callbacks.
    private boolean closed;
    private boolean inboundFailed;

    /** @param cancel cancels the call with a status, when a message cannot be parsed */
    ListenerDispatcher(CallbackExecutor callbacks, MethodDescriptor<?, RespT> method,
            ClientCall.Listener<RespT> listener, Consumer<Status> cancel) {
        this.callbacks = callbacks;
        this.method = method;
        this.listener = listener;
        this.cancel = cancel;
    }

    void headers(Metadata headers) {
        callbacks.execute(() -> {
            if (!closed && !inboundFailed) {
                listener.onHeaders(headers);
            }
        });
    }

    /** Takes ownership of {@code message}: it is closed once parsed or dropped. */
    void message(InputStream message) {
        callbacks.execute(() -> deliver(message));
    }

    void ready() {
        callbacks.execute(() -> {
            if (!closed) {
                listener.onReady();
            }
        });
    }

    void close(Status status, Metadata trailers) {
        callbacks.execute(() -> {
            if (!closed) {
                closed = true;
                listener.onClose(status, trailers);
            }
        });
    }

    private void deliver(InputStream message) {
        try (message) {
            if (closed || inboundFailed) {
                return;
            }
            RespT parsed;
            try {
                parsed = method.parseResponse(message);
            } catch (StatusRuntimeException e) {
                inboundFailed = true;
                cancel.accept(e.getStatus());
                return;
            } catch (RuntimeException e) {
                inboundFailed = true;
                cancel.accept(Status.INTERNAL.withDescription("Failed to parse the response message").withCause(e));
                return;
            }
            listener.onMessage(parsed);
        } catch (IOException e) {
            // Closing a buffer-backed stream does not fail; nothing to recover.
        }
    }
}
