package dev.lbchannel.transport;

import io.grpc.Metadata;
import io.grpc.Status;

import java.io.InputStream;

/**
 * Hears one {@link ClientStream}. Called on the transport's event loop, in order; an
 * implementation hands application work to the call's executor.
 */
public interface ClientStreamListener {

    /** The response headers arrived (not called for a trailers-only response). */
    void onHeaders(Metadata headers);

    /**
     * One whole message, decompressed lazily as it is read. The receiver owns the stream and
     * must close it, which releases its buffer. Reading it may throw a
     * {@code StatusRuntimeException} (RESOURCE_EXHAUSTED when the decompressed message is too
     * large, INTERNAL when it is corrupt).
     */
    void onMessage(InputStream message);

    /** The stream can take more messages again ({@link ClientStream#isReady()} turned true). */
    void onReady();

    /** The RPC is over. Called exactly once, last; nothing follows it. */
    void onClose(Status status, RpcProgress progress, Metadata trailers);
}
