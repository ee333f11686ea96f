package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.transport.TlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import java.util.Arrays;

/**
 * Turns a Spring {@link SslBundle} into a Netty client {@link SslContext} fit for gRPC: the
 * bundle's trust material, its key (if it has a key store) for mutual TLS, its ciphers and
 * protocols if it names any, and lbchannel's ALPN {@code h2} and hostname verification.
 * Stateless; public for the integrations' auto-configurations (etcd's {@code lbchannel.etcd.ssl.bundle}).
 */
public final class SslBundleContexts {

    private SslBundleContexts() {
    }

    public static SslContext forClient(SslBundle bundle) throws SSLException {
        SslManagerBundle managers = bundle.getManagers();
        SslContextBuilder builder = SslContextBuilder.forClient().trustManager(managers.getTrustManagerFactory());
        if (bundle.getStores().getKeyStore() != null) {
            KeyManagerFactory keys = managers.getKeyManagerFactory();
            builder.keyManager(keys);
        }
        TlsContexts.configure(builder, TlsContexts.defaultProvider());
        SslOptions options = bundle.getOptions();
        if (options.getCiphers() != null) {
            builder.ciphers(Arrays.asList(options.getCiphers()));
        }
        if (options.getEnabledProtocols() != null) {
            builder.protocols(options.getEnabledProtocols());
        }
        return builder.build();
    }
}
