package dev.lbchannel.benchmarks.fresh;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * grpc-java's side of the fan-out footprint probe: a {@code fanout:///} target that resolves to a
 * fixed list of loopback ports, one address group each, as lbchannel's {@code static:///} target
 * does; grpc-java has no built-in resolver for a list of addresses. Immutable.
 */
final class FanOutResolverProvider extends NameResolverProvider {

    static final String SCHEME = "fanout";

    private final List<EquivalentAddressGroup> groups;

    FanOutResolverProvider(List<Integer> ports) {
        this.groups = ports.stream()
                .map(port -> new EquivalentAddressGroup(new InetSocketAddress("127.0.0.1", port)))
                .toList();
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        return new NameResolver() {
            @Override
            public String getServiceAuthority() {
                return "localhost";
            }

            @Override
            public void start(Listener2 listener) {
                listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
            }

            @Override
            public void shutdown() {
            }
        };
    }
}
