package dev.lbchannel.transport;

import io.grpc.Status;

/**
 * Hears the life of a {@link ClientTransport}. Called on the transport's event loop; an
 * implementation hops to its own context rather than doing work here.
 */
public interface TransportListener {

    /** The connection is up and the server's first SETTINGS arrived: streams may be opened. */
    void transportReady();

    /**
     * The transport takes no new streams: a GOAWAY arrived, the connection failed or was shut
     * down. Called exactly once. {@code reason} says why, for example UNAVAILABLE with the
     * connect error, or the GOAWAY's debug data.
     */
    void transportShutdown(Status reason);

    /** Every stream is closed and the connection is gone. Called exactly once, last. */
    void transportTerminated();

    /** Whether the transport has open streams; for the idle timer and keepalive without calls. */
    default void transportInUse(boolean inUse) {
    }
}
