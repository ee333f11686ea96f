package dev.lbchannel.boot.readme;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;
import io.grpc.Status;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** The README's minimal resolver: {@code registry:///orders} from a map your registry client keeps current. */
public final class RegistryResolverProvider implements ResolverProvider {

    private final Map<String, List<InetSocketAddress>> registry; // a concurrent map, fed elsewhere

    public RegistryResolverProvider(Map<String, List<InetSocketAddress>> registry) {
        this.registry = registry;
    }

    @Override
    public String scheme() {
        return "registry";
    }

    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        String service = target.endpoint(); // creating a resolver starts no work
        return new Resolver() {
            private ResolverListener listener;

            @Override
            public void start(ResolverListener listener) { // start, refresh, shutdown: on the channel's serializer
                this.listener = listener;
                refresh();
            }

            @Override
            public void refresh() { // never block here; blocking lookups go to args.offloadExecutor()
                List<InetSocketAddress> found = registry.getOrDefault(service, List.of());
                if (found.isEmpty()) {
                    listener.onError(Status.UNAVAILABLE.withDescription("No instances of " + service));
                } else {
                    listener.onResult(ResolutionResult.of(found.stream().map(a -> Endpoint.of(a)).toList()));
                }
            }

            @Override
            public void shutdown() {
            }
        };
    }
}
