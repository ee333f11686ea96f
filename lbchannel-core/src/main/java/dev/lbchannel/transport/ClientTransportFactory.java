package dev.lbchannel.transport;

import io.netty.handler.ssl.SslContext;

import java.net.SocketAddress;

/**
 * Opens {@link ClientTransport}s for one channel with that channel's {@link TransportOptions}.
 * Thread-safe.
 */
public interface ClientTransportFactory {

    /**
     * Creates an unstarted transport.
     *
     * @param authority the {@code :authority} header, and the host name TLS verifies and sends
     *     as SNI
     * @param connectTimeoutNanos how long the TCP and TLS handshake may take before the attempt
     *     fails UNAVAILABLE
     */
    ClientTransport newTransport(SocketAddress address, String authority, long connectTimeoutNanos);

    /** The options every transport of this factory uses. */
    TransportOptions options();

    /**
     * Makes the transports this factory creates from now on use {@code sslContext}; those already
     * created keep the context they were created with. For rotating certificates, keys and trust
     * without a restart.
     *
     * @throws IllegalStateException if this factory speaks plaintext, or cannot change its context
     */
    default void updateSslContext(SslContext sslContext) {
        throw new IllegalStateException("This transport factory's TLS context cannot change");
    }

    /** Creates the Netty HTTP/2 factory. */
    static ClientTransportFactory netty(TransportOptions options) {
        return new NettyTransportFactory(options);
    }
}
