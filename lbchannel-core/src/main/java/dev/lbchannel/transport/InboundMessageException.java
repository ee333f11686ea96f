package dev.lbchannel.transport;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

/**
 * A received message could not be read: it does not inflate, or inflates past the inbound size
 * limit. Thrown from the message's stream while the call parses it; the call then fails with
 * this status, as if the transport had refused the message, rather than blaming the application.
 */
public final class InboundMessageException extends StatusRuntimeException {

    private static final long serialVersionUID = 1L;

    InboundMessageException(Status status) {
        super(status, null);
    }

    /** The status of the first {@code InboundMessageException} in {@code error}'s causes, or {@code null}. */
    public static @Nullable Status statusIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InboundMessageException inbound) {
                return inbound.getStatus();
            }
        }
        return null;
    }
}
