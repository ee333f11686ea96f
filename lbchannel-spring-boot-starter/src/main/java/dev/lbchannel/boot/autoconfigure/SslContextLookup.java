package dev.lbchannel.boot.autoconfigure;

import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import javax.net.ssl.SSLException;
import java.security.GeneralSecurityException;

/**
 * Finds a channel's {@code ssl.bundle} among the context's SSL bundles and makes the Netty
 * client context from it, turning a missing or unusable bundle into a
 * {@link LbChannelConfigurationException} on the {@code ssl.bundle} property. Stateless.
 */
final class SslContextLookup {

    private SslContextLookup() {
    }

    static SslContext sslContext(Setting<String> bundleName, @Nullable SslBundles bundles) {
        String name = bundleName.value();
        if (bundles == null) {
            throw new LbChannelConfigurationException(bundleName.property(), name,
                    "There are no SSL bundles in this application context",
                    "Configure the bundle under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name
                            + " (with Spring Boot's SSL auto-configuration active).");
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new LbChannelConfigurationException(bundleName.property(), name,
                    "There is no SSL bundle named '" + name + "'; configured bundles: "
                            + (bundles.getBundleNames().isEmpty() ? "none" : String.join(", ", bundles.getBundleNames())),
                    "Set " + bundleName.property() + " to a configured bundle, or configure '" + name
                            + "' under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name + ".", e);
        }
        try {
            return SslBundleContexts.forClient(bundle);
        } catch (SSLException | IllegalStateException e) {
            throw unusable(bundleName, e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof GeneralSecurityException) {
                throw unusable(bundleName, e);
            }
            throw e;
        }
    }

    private static LbChannelConfigurationException unusable(Setting<String> bundleName, Exception e) {
        return new LbChannelConfigurationException(bundleName.property(), bundleName.value(),
                "The SSL bundle cannot make a TLS client context: " + e.getMessage(),
                "Check the trust and key material of spring.ssl.bundle.*." + bundleName.value() + ".", e);
    }
}
