package dev.lbchannel.balancer.base;

import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * The status a base balancer's calls fail with when no backend is READY: UNAVAILABLE, naming the
 * last connection error and the last resolver error, so an application sees why. Stateless.
 */
final class NoReadyBackend {

    private NoReadyBackend() {
    }

    /** One UNAVAILABLE status naming both errors, with the cause of the one that has one. */
    static Status status(@Nullable Status lastConnectionError, @Nullable Status lastResolverError) {
        StringBuilder description = new StringBuilder("No READY backend");
        if (lastConnectionError != null) {
            description.append("; last connection error: ").append(describe(lastConnectionError));
        }
        if (lastResolverError != null) {
            description.append("; last resolver error: ").append(describe(lastResolverError));
        }
        Status status = Status.UNAVAILABLE.withDescription(description.toString());
        Status cause = lastConnectionError != null ? lastConnectionError : lastResolverError;
        return cause != null && cause.getCause() != null ? status.withCause(cause.getCause()) : status;
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
    }
}
