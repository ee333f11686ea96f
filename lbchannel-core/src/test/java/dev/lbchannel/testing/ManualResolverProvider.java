package dev.lbchannel.testing;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;
import io.grpc.Attributes;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver the test drives: whatever it {@link #update}s the channel sees, and it counts the
 * channel's refresh requests. Register it on a builder under its own scheme; target
 * {@code <scheme>:///anything}. The last result is replayed to a resolver started later (a channel
 * leaving idle). Thread-safe.
 */
public final class ManualResolverProvider implements ResolverProvider {

    private final String scheme;
    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile @Nullable ResolverListener listener;
    private volatile @Nullable ResolutionResult last;
    private volatile Map<String, Object> details = Map.of();

    public ManualResolverProvider(String scheme) {
        this.scheme = scheme;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        return new Resolver() {
            @Override
            public void start(ResolverListener resolverListener) {
                listener = resolverListener;
                ResolutionResult replay = last;
                if (replay != null) {
                    resolverListener.onResult(replay);
                }
            }

            @Override
            public void refresh() {
                refreshes.incrementAndGet();
            }

            @Override
            public void shutdown() {
                listener = null;
            }

            @Override
            public Map<String, Object> details() {
                return details;
            }
        };
    }

    /** Reports these backends (one endpoint per port on 127.0.0.1) and no service config. */
    public void update(int... ports) {
        update(endpoints(ports), null);
    }

    /** Reports endpoints and a service config (JSON shape), or {@code null} for none. */
    public void update(List<Endpoint> endpoints, @Nullable Map<String, ?> serviceConfig) {
        report(new ResolutionResult(endpoints, serviceConfig, null, Attributes.EMPTY));
    }

    public void report(ResolutionResult result) {
        last = result;
        ResolverListener current = listener;
        if (current != null) {
            current.onResult(result);
        }
    }

    public void error(Status status) {
        ResolverListener current = listener;
        if (current != null) {
            current.onError(status);
        }
    }

    /** What the resolver shows of itself in snapshots from now on. */
    public void details(Map<String, Object> shown) {
        details = Map.copyOf(shown);
    }

    public int refreshes() {
        return refreshes.get();
    }

    public static List<Endpoint> endpoints(int... ports) {
        return java.util.Arrays.stream(ports)
                .mapToObj(port -> Endpoint.of(new InetSocketAddress("127.0.0.1", port)))
                .toList();
    }
}
