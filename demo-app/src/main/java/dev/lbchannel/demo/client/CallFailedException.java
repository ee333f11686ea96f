package dev.lbchannel.demo.client;

import io.grpc.Status;

/**
 * A greeting call ended with a gRPC status other than OK. Carries the channel and the status
 * (code and description; never metadata), which is all a caller should show.
 */
public final class CallFailedException extends RuntimeException {

    private final String channel;
    private final transient Status status;

    CallFailedException(String channel, Status status, Throwable cause) {
        super("The call on channel '" + channel + "' failed: " + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription()), cause);
        this.channel = channel;
        this.status = status;
    }

    public String channel() {
        return channel;
    }

    public Status status() {
        return status;
    }
}
