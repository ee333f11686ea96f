package dev.lbchannel.etcd;

import dev.lbchannel.BackoffPolicy;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The {@code etcd} scheme: endpoints that services register in etcd in the format of etcd's Go
 * {@code endpoints.Manager} (go.etcd.io/etcd/client/v3/naming/endpoints): each key
 * {@code <prefix>/<id>} holds {@code {"Addr":"host:port","Metadata":...}}, usually under a lease
 * so that it goes away with its service. {@code etcd:///services/orders} follows the keys under
 * {@code services/orders/} on the provider's etcd members; {@code etcd://10.0.0.5:2379/services/orders}
 * on that one member. Each address becomes one endpoint, with its key and metadata as
 * {@link EtcdEndpointAttributes}; changes arrive through an etcd watch within moments.
 *
 * <pre>{@code
 * ResolverProvider etcd = EtcdResolverProvider.builder()
 *     .endpoints("http://10.0.0.5:2379", "http://10.0.0.6:2379")
 *     .build();
 * LbChannel channel = LbChannelBuilder.forTarget("etcd:///services/orders")
 *     .resolverProvider(etcd)
 *     .defaultLoadBalancingPolicy("round_robin")
 *     .build();
 * }</pre>
 *
 * The resolver talks to etcd over an lbchannel channel of its own, with etcd's generated stubs.
 * The default authority of a channel is the prefix's last segment ({@code orders}); set
 * {@code overrideAuthority} when the backends expect another. Immutable and thread-safe; creating
 * a resolver starts no work.
 */
public final class EtcdResolverProvider implements ResolverProvider {

    public static final String SCHEME = "etcd";
    /** The default of {@link Builder#backoff}: 0.5 s, ×1.6, ±20 %, at most 10 s, connect attempts of at least 5 s. */
    public static final BackoffPolicy DEFAULT_BACKOFF = new BackoffPolicy(Duration.ofMillis(500), 1.6, 0.2,
            Duration.ofSeconds(10), Duration.ofSeconds(5));
    /** The default of {@link Builder#requestTimeout}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The default of {@link Builder#keepAliveTime}; etcd refuses pings more often than every 5 s. */
    public static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofSeconds(30);

    private final EtcdOptions options;

    private EtcdResolverProvider(EtcdOptions options) {
        this.options = options;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /**
     * @throws IllegalArgumentException naming the target when its prefix is empty, its member
     *     address is malformed, or it names no member and the provider has none
     */
    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        requireNonNull(target, "target");
        requireNonNull(args, "args");
        KeyPrefix prefix;
        EtcdServers servers;
        try {
            prefix = KeyPrefix.of(target.endpoint());
            servers = servers(target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid target '" + target + "': " + e.getMessage(), e);
        }
        return new EtcdResolver(target.toString(), prefix, servers, options, args);
    }

    /** The prefix's last segment: {@code orders} for {@code etcd:///services/orders}. */
    @Override
    public String defaultAuthority(Target target) {
        return KeyPrefix.of(target.endpoint()).lastSegment();
    }

    private EtcdServers servers(Target target) {
        String authority = target.authority();
        if (authority != null && !authority.isEmpty()) {
            return EtcdServers.parse(List.of(authority));
        }
        if (options.endpoints().isEmpty()) {
            throw new IllegalArgumentException("it names no etcd member and none is configured; write "
                    + "etcd://host:2379/" + target.endpoint().replaceFirst("^/+", "")
                    + ", or give the provider its endpoints (lbchannel.etcd.endpoints)");
        }
        return EtcdServers.parse(options.endpoints());
    }

    /** Options for an {@link EtcdResolverProvider}. Not thread-safe; build once. */
    public static final class Builder {

        private final List<String> endpoints = new ArrayList<>();
        private @Nullable SslContext sslContext;
        private @Nullable String username;
        private @Nullable String password;
        private BackoffPolicy backoff = DEFAULT_BACKOFF;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration keepAliveTime = DEFAULT_KEEPALIVE_TIME;

        private Builder() {
        }

        /**
         * The etcd members for {@code etcd:///prefix} targets, as etcdctl takes them:
         * {@code host:port}, {@code http://host:port} or {@code https://host:port}.
         *
         * @throws IllegalArgumentException naming a malformed endpoint
         */
        public Builder endpoints(String... endpoints) {
            return endpoints(List.of(endpoints));
        }

        /** As {@link #endpoints(String...)}; replaces any set before. */
        public Builder endpoints(List<String> endpoints) {
            if (!endpoints.isEmpty()) {
                EtcdServers.parse(endpoints);
            }
            this.endpoints.clear();
            this.endpoints.addAll(endpoints);
            return this;
        }

        /** TLS to etcd with this context (trust, and a client certificate for mutual TLS). */
        public Builder sslContext(SslContext sslContext) {
            this.sslContext = requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** etcd's user and password authentication; the password is never logged or shown. */
        public Builder credentials(String username, String password) {
            this.username = requireNonNull(username, "username");
            this.password = requireNonNull(password, "password");
            return this;
        }

        /**
         * How long to wait before reconnecting after etcd failed or closed the watch, and between
         * connection attempts to etcd; reset once a watch is established.
         */
        public Builder backoff(BackoffPolicy backoff) {
            this.backoff = requireNonNull(backoff, "backoff");
            return this;
        }

        /** The deadline of a list (and of authentication). 10 s by default. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How often to ping etcd, so that a silent connection is noticed. 30 s by default; at least 5 s. */
        public Builder keepAliveTime(Duration time) {
            if (positive(time, "keepAliveTime").compareTo(Duration.ofSeconds(5)) < 0) {
                throw new IllegalArgumentException("keepAliveTime must be at least 5s (etcd's minimum), was " + time);
            }
            this.keepAliveTime = time;
            return this;
        }

        public EtcdResolverProvider build() {
            return new EtcdResolverProvider(new EtcdOptions(endpoints, sslContext, username, password, backoff,
                    requestTimeout, keepAliveTime));
        }

        private static Duration positive(Duration value, String name) {
            if (requireNonNull(value, name).isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
