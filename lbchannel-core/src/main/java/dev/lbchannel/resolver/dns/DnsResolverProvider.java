package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.HostNames;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.HostAndPort;
import dev.lbchannel.target.Target;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The {@code dns} scheme, gRPC's default: {@code dns:///host[:port]} asks the system's DNS servers
 * (after its hosts file), {@code dns://10.0.0.53:5353/host[:port]} asks that server only. Each
 * address of the host's A and AAAA records becomes one endpoint (IPv4 first unless the JVM
 * prefers IPv6); the TXT records of {@code _grpc_config.<host>} give the service config, as gRFC
 * A2 describes. A host written as an IP literal is reported as is, with no query.
 *
 * <pre>{@code
 * ResolverProvider dns = DnsResolverProvider.builder()
 *     .minRefreshInterval(Duration.ofSeconds(10))
 *     .refreshInterval(Duration.ofMinutes(1))   // opt-in: pick up new backends without failures
 *     .honorTtl(true)                           // opt-in: and again when the records' TTL runs out
 *     .build();
 * }</pre>
 *
 * Immutable and thread-safe; creating a resolver starts no work.
 */
public final class DnsResolverProvider implements ResolverProvider {

    public static final String SCHEME = "dns";
    /** The default of {@link Builder#minRefreshInterval}, gRPC's own. */
    public static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
    /** The default of {@link Builder#queryTimeout}. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);
    private static final int DNS_PORT = 53;

    private final DnsOptions options;

    /** A provider with the defaults: TXT lookup on, 30 s minimum refresh interval, no periodic refresh. */
    public DnsResolverProvider() {
        this(builder());
    }

    private DnsResolverProvider(Builder builder) {
        this.options = new DnsOptions(builder.serviceConfigLookup, builder.minRefreshInterval,
                builder.refreshInterval, builder.queryTimeout, builder.honorTtl);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** @throws IllegalArgumentException naming the target when its host, port or DNS server is malformed */
    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        requireNonNull(target, "target");
        requireNonNull(args, "args");
        HostAndPort endpoint;
        try {
            endpoint = HostAndPort.parse(target.endpoint(), args.defaultPort());
        } catch (IllegalArgumentException e) {
            throw invalid(target, e.getMessage());
        }
        InetSocketAddress server = dnsServer(target);
        if (endpoint.isIpLiteral()) {
            InetAddress literal = NetUtil.createInetAddressFromIpAddressString(endpoint.host());
            if (literal == null) {
                throw invalid(target, "'" + endpoint.host() + "' is not a valid IP address");
            }
            return new LiteralResolver(new InetSocketAddress(literal, endpoint.port()));
        }
        if (!HostNames.isValid(endpoint.host())) {
            throw invalid(target, "'" + endpoint.host() + "' is not a valid host name");
        }
        return new DnsResolver(target.toString(), endpoint.host(), endpoint.port(), server, options, args);
    }

    /** The {@code host[:port]} of the target, as written. */
    @Override
    public String defaultAuthority(Target target) {
        return target.endpoint();
    }

    private static @Nullable InetSocketAddress dnsServer(Target target) {
        String authority = target.authority();
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        HostAndPort server;
        try {
            server = HostAndPort.parse(authority, DNS_PORT);
        } catch (IllegalArgumentException e) {
            throw invalid(target, "DNS server: " + e.getMessage());
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(server.host());
        if (address == null) {
            throw invalid(target, "the DNS server '" + authority + "' must be an IP address, like 10.0.0.53:53");
        }
        return new InetSocketAddress(address, server.port());
    }

    private static IllegalArgumentException invalid(Target target, @Nullable String why) {
        return new IllegalArgumentException("Invalid target '" + target + "': " + why);
    }

    /** Options for a {@link DnsResolverProvider}. Not thread-safe; build once. */
    public static final class Builder {

        private boolean serviceConfigLookup = true;
        private Duration minRefreshInterval = DEFAULT_MIN_REFRESH_INTERVAL;
        private Duration refreshInterval = Duration.ZERO;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
        private boolean honorTtl;

        private Builder() {
        }

        /** Whether to read the service config from TXT records (gRFC A2). On by default. */
        public Builder serviceConfigLookup(boolean enabled) {
            this.serviceConfigLookup = enabled;
            return this;
        }

        /**
         * The least time between the starts of two resolutions that {@code refresh()} asks for; a
         * refresh sooner than that waits for the window to end. 30 s by default; zero allows every
         * refresh at once.
         */
        public Builder minRefreshInterval(Duration interval) {
            this.minRefreshInterval = nonNegative(interval, "minRefreshInterval");
            return this;
        }

        /**
         * Resolves again this long after each resolution ends, whether or not anything asked,
         * so round_robin picks up new backends. Off ({@link Duration#ZERO}) by default.
         */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = nonNegative(interval, "refreshInterval");
            return this;
        }

        /**
         * Resolves again when the smallest TTL of the last answer (A, AAAA and CNAME records) runs
         * out, whether or not anything asked, but never sooner than {@link #minRefreshInterval}
         * after the last resolution started; with a {@link #refreshInterval} too, whichever comes
         * first. An answer from the hosts file has no TTL and schedules nothing. Off by default, as
         * in gRPC, which ignores TTLs.
         */
        public Builder honorTtl(boolean enabled) {
            this.honorTtl = enabled;
            return this;
        }

        /** How long to wait for one DNS answer. 5 s by default. */
        public Builder queryTimeout(Duration timeout) {
            if (requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("queryTimeout must be positive, was " + timeout);
            }
            this.queryTimeout = timeout;
            return this;
        }

        public DnsResolverProvider build() {
            return new DnsResolverProvider(this);
        }

        private static Duration nonNegative(Duration value, String name) {
            if (requireNonNull(value, name).isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
