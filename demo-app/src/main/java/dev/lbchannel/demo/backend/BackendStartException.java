package dev.lbchannel.demo.backend;

/** A backend could not start, usually because its port is taken; the message names the port. */
public final class BackendStartException extends RuntimeException {

    BackendStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
