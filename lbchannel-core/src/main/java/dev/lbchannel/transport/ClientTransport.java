package dev.lbchannel.transport;

import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;

/**
 * One HTTP/2 connection to one address, carrying many RPCs as streams.
 *
 * <p>Thread-safe: every method may be called from any thread and returns without blocking; the
 * connection's state is confined to its Netty event loop and commands cross into it. Events
 * reach the {@link TransportListener} on that event loop.
 */
public interface ClientTransport {

    /**
     * Starts connecting. Call once. The listener hears {@code transportReady} once the server's
     * first SETTINGS frame arrives, then {@code transportShutdown} and {@code transportTerminated}
     * exactly once each, whatever happens.
     */
    void start(TransportListener listener);

    /**
     * Opens a stream for one RPC. Never throws for transport reasons: a stream that cannot be
     * opened (the connection is draining or gone) is closed through its listener with
     * {@link RpcProgress#REFUSED}, so the caller can retry it transparently elsewhere.
     *
     * @param headers the application's metadata; reserved gRPC and HTTP/2 headers in it are ignored
     * @param deadlineNanos remaining time in nanoseconds for {@code grpc-timeout}, or a negative
     *     number for no deadline
     */
    ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions,
            long deadlineNanos, ClientStreamListener listener);

    /** Starts a graceful shutdown: no new streams, existing ones finish. Idempotent. */
    void shutdown(Status reason);

    /** Shuts down and fails every open stream with {@code reason}. Idempotent. */
    void shutdownNow(Status reason);

    /** The address this transport connects to. */
    SocketAddress remoteAddress();

    /** A point-in-time view of the connection for channelz; {@code null} before it is connected. */
    @Nullable SocketStats stats();
}
