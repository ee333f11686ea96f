package dev.lbchannel.transport;

import io.grpc.Attributes;
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
     * Creates an unstarted stream for one RPC; it opens when {@link ClientStream#start} is
     * called. Never throws for transport reasons: a stream that cannot be opened (the connection
     * is draining or gone) is closed through its listener with {@link RpcProgress#MISCARRIED}
     * or {@link RpcProgress#REFUSED}, so the caller can retry it transparently elsewhere.
     *
     * @param headers the application's metadata; reserved gRPC and HTTP/2 headers in it are ignored
     * @param callOptions the call's options: its {@linkplain CallOptions#getAuthority() authority}
     *     replaces the transport's in {@code :authority} (check it first with
     *     {@link #verifyAuthority}), its compressor names {@code grpc-encoding}, its inbound limit
     *     and {@linkplain CallOptions#getOnReadyThreshold() on-ready threshold} apply
     * @param deadlineNanos remaining time in nanoseconds for {@code grpc-timeout}, or a negative
     *     number for no deadline
     */
    ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions,
            long deadlineNanos);

    /**
     * Whether an RPC may carry {@code authority} on this connection: always with plaintext; with
     * TLS only when the server's certificate covers its host, as grpc-java checks a per-call
     * authority. Any thread; the answer for an authority is computed once.
     *
     * @return {@code null} when it may, else the UNAVAILABLE status to fail the RPC with
     */
    @Nullable Status verifyAuthority(String authority);

    /**
     * What a call on this connection sees in {@code ClientCall.getAttributes()} and stream
     * tracers: {@code Grpc.TRANSPORT_ATTR_REMOTE_ADDR}, {@code TRANSPORT_ATTR_LOCAL_ADDR},
     * {@code TRANSPORT_ATTR_SSL_SESSION} with TLS, and {@link TransportAttributes#SECURITY_LEVEL}.
     * Empty until the transport is ready. Any thread.
     */
    Attributes attributes();

    /**
     * Whether the transport takes no new streams any more (a GOAWAY arrived, it was shut down or
     * its connection failed). Turns true on the event loop the moment that happens, before the
     * listener's {@code transportShutdown} is handled elsewhere; any thread, one volatile read.
     */
    boolean isShutdown();

    /** Starts a graceful shutdown: no new streams, existing ones finish. Idempotent. */
    void shutdown(Status reason);

    /** Shuts down and fails every open stream with {@code reason}. Idempotent. */
    void shutdownNow(Status reason);

    /** The address this transport connects to. */
    SocketAddress remoteAddress();

    /**
     * The authority this connection's calls carry unless they name their own, and the name its
     * TLS handshake verifies: the channel's, or the one its resolver gave the address. Any thread.
     */
    String authority();

    /** A point-in-time view of the connection for channelz; {@code null} before it is connected. */
    @Nullable SocketStats stats();
}
