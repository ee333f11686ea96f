package dev.lbchannel.demo.web;

import dev.lbchannel.demo.backend.BackendStartException;
import dev.lbchannel.demo.client.CallFailedException;
import dev.lbchannel.demo.client.UnknownChannelException;
import io.grpc.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the demo's failures into {@link ApiError} bodies: a failed call keeps its gRPC status
 * code, mapped to the nearest HTTP status; no stack trace or exception class leaves the server.
 */
@RestControllerAdvice
class ApiErrors {

    @ExceptionHandler
    ResponseEntity<ApiError> callFailed(CallFailedException e) {
        Status status = e.status();
        return ResponseEntity.status(httpStatus(status.getCode())).body(new ApiError(
                "The call on channel '" + e.channel() + "' failed", status.getCode().name(),
                status.getDescription(), e.channel()));
    }

    @ExceptionHandler
    ResponseEntity<ApiError> unknownChannel(UnknownChannelException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(ApiError.of(e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ApiError> unknownBackend(UnknownBackendException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.of(e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ApiError> backendStart(BackendStartException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(ApiError.of(e.getMessage()));
    }

    /** The HTTP status closest to a gRPC code, after gRPC's own HTTP mapping where one exists. */
    static HttpStatus httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            default -> HttpStatus.BAD_GATEWAY;
        };
    }
}
