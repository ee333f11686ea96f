package dev.lbchannel.channelz;

import org.jspecify.annotations.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * What client-side health checking (gRFC A17) knows of one subchannel: the check's state, the
 * service name it asks about, and, when the backend is not counted healthy, why.
 *
 * @param serviceName the {@code healthCheckConfig.serviceName} checked ({@code ""} for the
 *     server's overall health), or {@code null} when the subchannel is not checked
 * @param description why the backend is not used, or why the check is off; {@code null} when
 *     there is nothing to say
 */
public record SubchannelHealth(State state, @Nullable String serviceName, @Nullable String description) {

    /** A subchannel whose policy or service config asks for no health check. */
    public static final SubchannelHealth NOT_CHECKED = new SubchannelHealth(State.NOT_CHECKED, null, null);

    public SubchannelHealth {
        requireNonNull(state, "state");
    }

    /** Whether the connection may be up while the balancer does not use it. */
    public boolean isUnhealthy() {
        return state == State.NOT_SERVING || state == State.STREAM_FAILED;
    }

    /** The states of one subchannel's health check. */
    public enum State {
        /** No check: the policy does not use health, or the service config names no service. */
        NOT_CHECKED,
        /** Connected and waiting for the first answer, or for the stream's backoff to end. */
        CHECKING,
        /** The server says SERVING: the subchannel is READY for its balancer. */
        SERVING,
        /** The server says NOT_SERVING, SERVICE_UNKNOWN or UNKNOWN: not used, connection kept. */
        NOT_SERVING,
        /** The Watch stream failed; it is restarted with backoff, and the backend is not used. */
        STREAM_FAILED,
        /** The server has no health service (UNIMPLEMENTED): the check is off for this connection. */
        UNIMPLEMENTED
    }
}
