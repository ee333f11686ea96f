package dev.lbchannel.boot.autoconfigure.discovery;

import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The {@code discovery} scheme: {@code discovery:///orders} resolves to the instances that the
 * application's Spring Cloud {@link DiscoveryClient} knows for the service id {@code orders}, each
 * at its host and gRPC port (metadata {@code grpc.port}, else {@code gRPC_port}, else the
 * instance's port), with its metadata and zone as endpoint attributes and the service config an
 * instance publishes in its {@code grpc.service-config} metadata (JSON). It fetches again on every
 * {@link #heartbeat()} (the auto-configuration calls it on Spring Cloud's {@code HeartbeatEvent})
 * and every {@code refreshInterval}, and reports only changes, metadata-only ones included.
 *
 * <p>Thread-safe; creating a resolver validates the target and starts no work.
 */
public final class DiscoveryResolverProvider implements ResolverProvider {

    public static final String SCHEME = "discovery";
    /** The default of the refresh interval, {@code lbchannel.discovery.refresh-interval}. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(30);

    private final DiscoveryClient client;
    private final Duration refreshInterval;
    private final Set<DiscoveryResolver> running = ConcurrentHashMap.newKeySet();

    /** @param refreshInterval how long after a fetch to fetch again unasked; zero for heartbeats only */
    public DiscoveryResolverProvider(DiscoveryClient client, Duration refreshInterval) {
        this.client = requireNonNull(client, "client");
        this.refreshInterval = requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("refreshInterval must not be negative, was " + refreshInterval);
        }
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** @throws IllegalArgumentException naming the target when it has an authority or no service id */
    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        requireNonNull(args, "args");
        String serviceId = serviceId(target);
        DiscoveryResolver resolver = new DiscoveryResolver(client, serviceId, refreshInterval, args, running::remove);
        running.add(resolver);
        return resolver;
    }

    /** The service id: clients that check the server's name see the service they asked for. */
    @Override
    public String defaultAuthority(Target target) {
        return serviceId(target);
    }

    /** Every running resolver fetches again: the registry has news. Any thread; returns at once. */
    public void heartbeat() {
        running.forEach(DiscoveryResolver::heartbeat);
    }

    private static String serviceId(Target target) {
        requireNonNull(target, "target");
        String authority = target.authority();
        if (authority != null && !authority.isEmpty()) {
            throw new IllegalArgumentException("Invalid target '" + target
                    + "': the application's DiscoveryClient is used; write discovery:///service-id");
        }
        String serviceId = target.endpoint();
        if (serviceId.isBlank() || serviceId.contains("/") || !serviceId.strip().equals(serviceId)) {
            throw new IllegalArgumentException("Invalid target '" + target
                    + "': name a service id, like discovery:///orders");
        }
        return serviceId;
    }
}
