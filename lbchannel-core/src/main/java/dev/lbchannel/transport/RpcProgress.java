package dev.lbchannel.transport;

/** How far an RPC got before it closed; decides whether it may be retried transparently. */
public enum RpcProgress {
    /** The server may have seen the RPC. */
    PROCESSED,
    /**
     * The server never processed it: the stream was refused (REFUSED_STREAM), it was above a
     * GOAWAY's last-stream-id, or it never left this client. Safe to retry elsewhere.
     */
    REFUSED,
    /** A balancer dropped it on purpose; never retried. */
    DROPPED
}
