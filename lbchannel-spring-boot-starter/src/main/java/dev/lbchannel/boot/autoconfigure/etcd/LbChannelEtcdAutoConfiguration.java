package dev.lbchannel.boot.autoconfigure.etcd;

import dev.lbchannel.BackoffPolicy;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.boot.autoconfigure.SslBundleContexts;
import dev.lbchannel.etcd.EtcdResolverProvider;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

import javax.net.ssl.SSLException;

/**
 * Registers lbchannel-etcd's {@link EtcdResolverProvider} (scheme {@code etcd}) as a bean when it
 * is on the class path, built from {@code lbchannel.etcd.*}, so channels can use
 * {@code etcd:///prefix} targets, over TLS with {@code lbchannel.etcd.ssl.bundle} (or the JVM's
 * trust store for {@code https://} endpoints). An application replaces it by declaring its own
 * {@code EtcdResolverProvider} bean (its factory method must return that type, so that this one
 * backs off), or turns it off with {@code lbchannel.etcd.enabled=false}, for example to register
 * another provider under {@code etcd}. A bad value stops start-up with Boot's failure analysis
 * naming the property; the password is never shown.
 */
@AutoConfiguration(before = LbChannelAutoConfiguration.class, after = SslAutoConfiguration.class)
@ConditionalOnClass(EtcdResolverProvider.class)
@ConditionalOnBooleanProperty(name = "lbchannel.etcd.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LbChannelEtcdProperties.class)
public final class LbChannelEtcdAutoConfiguration {

    private static final String PREFIX = "lbchannel.etcd.";

    @Bean
    @ConditionalOnMissingBean(EtcdResolverProvider.class)
    EtcdResolverProvider lbChannelEtcdResolverProvider(LbChannelEtcdProperties properties,
            ObjectProvider<SslBundles> sslBundles) {
        EtcdResolverProvider.Builder builder = EtcdResolverProvider.builder();
        try {
            builder.endpoints(properties.getEndpoints());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "endpoints",
                    String.join(",", properties.getEndpoints()), e.getMessage());
        }
        credentials(builder, properties);
        try {
            builder.requestTimeout(properties.getRequestTimeout());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "request-timeout",
                    properties.getRequestTimeout(), e.getMessage());
        }
        try {
            builder.keepAliveTime(properties.getKeepaliveTime());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "keepalive-time",
                    properties.getKeepaliveTime(), e.getMessage());
        }
        builder.backoff(backoff(properties.getBackoff()));
        String bundle = properties.getSsl().getBundle();
        if (bundle != null && !bundle.isEmpty()) {
            builder.sslContext(sslContext(bundle, sslBundles.getIfAvailable()));
        }
        return builder.build();
    }

    private static SslContext sslContext(String name, @Nullable SslBundles bundles) {
        String property = PREFIX + "ssl.bundle";
        if (bundles == null) {
            throw new InvalidConfigurationPropertyValueException(property, name,
                    "There are no SSL bundles in this application context; configure spring.ssl.bundle.pem." + name);
        }
        try {
            return SslBundleContexts.forClient(bundles.getBundle(name));
        } catch (NoSuchSslBundleException e) {
            throw new InvalidConfigurationPropertyValueException(property, name, "There is no SSL bundle named '" + name
                    + "'; configure it under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name);
        } catch (SSLException | RuntimeException e) {
            throw new InvalidConfigurationPropertyValueException(property, name,
                    "The SSL bundle cannot make a TLS client context: " + e.getMessage());
        }
    }

    private static void credentials(EtcdResolverProvider.Builder builder, LbChannelEtcdProperties properties) {
        String username = properties.getUsername();
        String password = properties.getPassword();
        if (username == null && password == null) {
            return;
        }
        if (username == null || username.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "username", username,
                    "lbchannel.etcd.password is set, so etcd's authentication needs a user name too.");
        }
        if (password == null) {
            // The value shown is the user's; a password never appears in a message.
            throw new InvalidConfigurationPropertyValueException(PREFIX + "username", username,
                    "Set lbchannel.etcd.password as well for etcd's authentication, or remove the user name.");
        }
        builder.credentials(username, password);
    }

    private static BackoffPolicy backoff(LbChannelEtcdProperties.Backoff backoff) {
        BackoffPolicy defaults = EtcdResolverProvider.DEFAULT_BACKOFF;
        try {
            return new BackoffPolicy(backoff.getInitial(), defaults.multiplier(), defaults.jitter(), backoff.getMax(),
                    defaults.minConnectTimeout());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "backoff.max", backoff.getMax(),
                    "lbchannel.etcd.backoff needs 0 < initial <= max; " + e.getMessage());
        }
    }
}
