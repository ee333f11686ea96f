package dev.lbchannel.transport;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Builds client {@link SslContext}s fit for gRPC: ALPN offering only {@code h2}, hostname
 * verification on, TLS 1.2 or newer. Uses OpenSSL (netty-tcnative) when it is on the class path,
 * else the JDK's provider. Stateless and thread-safe.
 */
public final class TlsContexts {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /** A client context trusting the JVM's default trust store; what TLS means when no context is given. */
    public static SslContext forClient() {
        return build(configure(SslContextBuilder.forClient(), defaultProvider()));
    }

    /** A client context trusting only the certificates of {@code trustManagerFactory}. */
    public static SslContext forClient(TrustManagerFactory trustManagerFactory) {
        requireNonNull(trustManagerFactory, "trustManagerFactory");
        return build(configure(SslContextBuilder.forClient().trustManager(trustManagerFactory),
                defaultProvider()));
    }

    /**
     * Adds gRPC's TLS requirements (ALPN h2, TLS 1.2+, hostname verification) to {@code builder},
     * which keeps its trust and key material.
     */
    public static SslContextBuilder configure(SslContextBuilder builder, SslProvider provider) {
        requireNonNull(builder, "builder");
        requireNonNull(provider, "provider");
        return builder.sslProvider(provider)
                .protocols(PROTOCOLS)
                .endpointIdentificationAlgorithm("HTTPS")
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE,
                        SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2));
    }

    /** OpenSSL when netty-tcnative is usable (it supports ALPN everywhere), else the JDK. */
    public static SslProvider defaultProvider() {
        return SslProvider.isAlpnSupported(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("Cannot build a TLS client context: " + e.getMessage(), e);
        }
    }
}
