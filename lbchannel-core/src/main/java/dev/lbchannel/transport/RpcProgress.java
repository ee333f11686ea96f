package dev.lbchannel.transport;

/** How far an RPC got before it closed; decides whether it may be retried transparently. */
public enum RpcProgress {
    /**
     * The server answered: the stream ended with its trailers, whose status and metadata the
     * call reports. Every message it sent before them belongs to the answer.
     */
    COMPLETED,
    /**
     * The server may have seen the RPC, but the stream ended without its answer: reset,
     * cancelled, or its connection lost or failed.
     */
    PROCESSED,
    /**
     * The server saw the stream but did not process it: it refused it (REFUSED_STREAM) or the
     * stream was above a GOAWAY's last-stream-id. Safe to retry elsewhere; the call does so once.
     */
    REFUSED,
    /**
     * The RPC never left this client: its connection was going away or gone before the stream
     * was opened, or its HEADERS could not be written. Safe to retry as often as the call's
     * deadline allows.
     */
    MISCARRIED,
    /** A balancer dropped it on purpose; never retried. */
    DROPPED
}
