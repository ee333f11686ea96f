package dev.lbchannel.etcd;

import dev.lbchannel.BackoffPolicy;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * How an {@link EtcdResolverProvider}'s resolvers reach etcd; see its builder for each option.
 * {@link #toString()} leaves the password out.
 *
 * @param endpoints the members for {@code etcd:///prefix} targets; empty when only targets that
 *     name a member ({@code etcd://host:2379/prefix}) are allowed
 * @param sslContext TLS to etcd with this context; {@code null} for plaintext unless an endpoint
 *     says {@code https://}
 */
record EtcdOptions(List<String> endpoints, @Nullable SslContext sslContext, @Nullable String username,
        @Nullable String password, BackoffPolicy backoff, Duration requestTimeout, Duration keepAliveTime) {

    EtcdOptions {
        endpoints = List.copyOf(endpoints);
    }

    boolean hasCredentials() {
        return username != null;
    }

    @Override
    public String toString() {
        return "EtcdOptions[endpoints=" + endpoints + ", tls=" + (sslContext != null) + ", username=" + username
                + ", backoff=" + backoff + ", requestTimeout=" + requestTimeout + ", keepAliveTime=" + keepAliveTime + "]";
    }
}
