package dev.lbchannel;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;

/**
 * Delivers one call's stream events to the application's {@link ClientCall.Listener}, in order,
 * on the call's executor, and parses response messages there (never on an event loop). After
 * {@code onClose} nothing more is delivered; a message that fails to parse cancels the call. It is
 * the call's {@link CallbackExecutor} itself, which keeps those callbacks in order.
 */
final class ListenerDispatcher<RespT> extends CallbackExecutor {

    private final MethodDescriptor<?, RespT> method;
    private final ClientCall.Listener<RespT> listener;
    private final ChannelCall<?, RespT> call;

    // Confined to the callbacks, which run one at a time.
    private boolean closed;
    private boolean inboundFailed;

    /** @param call cancelled with a status when a message cannot be parsed */
    ListenerDispatcher(Executor executor, MethodDescriptor<?, RespT> method,
            ClientCall.Listener<RespT> listener, ChannelCall<?, RespT> call) {
        super(executor);
        this.method = method;
        this.listener = listener;
        this.call = call;
    }

    // Each event runs inline when the call's executor is direct and idle (no task object), else
    // is queued as a lambda; the two branches run the same private method.

    void headers(Metadata headers) {
        if (!enterDirect()) {
            execute(() -> onHeaders(headers));
            return;
        }
        try {
            onHeaders(headers);
        } catch (RuntimeException e) {
            CallbackExecutor.listenerThrew(e);
        } finally {
            exitDirect();
        }
    }

    /** Takes ownership of {@code message}: it is closed once parsed or dropped. */
    void message(InputStream message) {
        if (!enterDirect()) {
            execute(() -> deliver(message));
            return;
        }
        try {
            deliver(message);
        } catch (RuntimeException e) {
            CallbackExecutor.listenerThrew(e);
        } finally {
            exitDirect();
        }
    }

    void ready() {
        if (!enterDirect()) {
            execute(this::onReady);
            return;
        }
        try {
            onReady();
        } catch (RuntimeException e) {
            CallbackExecutor.listenerThrew(e);
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
        } catch (RuntimeException e) {
            CallbackExecutor.listenerThrew(e);
        } finally {
            exitDirect();
        }
    }

    private void onHeaders(Metadata headers) {
        if (!closed && !inboundFailed) {
            listener.onHeaders(headers);
        }
    }

    private void onReady() {
        if (!closed) {
            listener.onReady();
        }
    }

    private void onClose(Status status, Metadata trailers) {
        if (!closed) {
            closed = true;
            listener.onClose(status, trailers);
        }
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
                call.cancel(e.getStatus());
                return;
            } catch (RuntimeException e) {
                inboundFailed = true;
                call.cancel(Status.INTERNAL.withDescription("Failed to parse the response message").withCause(e));
                return;
            }
            listener.onMessage(parsed);
        } catch (IOException e) {
            // Closing a buffer-backed stream does not fail; nothing to recover.
        }
    }
}
