package dev.lbchannel;

import io.grpc.Status;

import java.util.EnumSet;
import java.util.Set;

/**
 * Keeps the control plane from speaking for the server (gRFC A54): a status that a picker,
 * resolver or {@code CallCredentials} fails a call with reaches the application as INTERNAL when
 * its code is one that only a server may send, since an application acts on those codes as if
 * the server had answered. Stateless.
 */
final class ControlPlaneStatus {

    private static final Set<Status.Code> SERVER_ONLY = EnumSet.of(
            Status.Code.OK,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS,
            Status.Code.FAILED_PRECONDITION,
            Status.Code.ABORTED,
            Status.Code.OUT_OF_RANGE,
            Status.Code.DATA_LOSS);

    private ControlPlaneStatus() {
    }

    /** {@code status}, or INTERNAL naming its code when the control plane may not use that code. */
    static Status sanitize(Status status) {
        if (!SERVER_ONLY.contains(status.getCode())) {
            return status;
        }
        return Status.INTERNAL.withDescription("The control plane failed the call with " + status.getCode()
                + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")")
                + ", a code only a server may send (gRFC A54)").withCause(status.getCause());
    }
}
