package dev.lbchannel.benchmarks.fresh;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * grpc-java's side of the fan-out footprint probe: {@code fanout:///5001,5002} resolves to those
 * loopback ports, one address group each, as lbchannel's {@code static:///} target does; grpc-java
 * has no built-in resolver for a list of addresses. Registered once per JVM, so that the warm-up
 * channel pays the registry's cost, not the measured one. Stateless.
 */
final class FanOutResolverProvider extends NameResolverProvider {

    static final String SCHEME = "fanout";

    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    private FanOutResolverProvider() {
    }

    /** The target for these ports, registering the provider with grpc-java on first use. */
    static String target(List<Integer> ports) {
        if (REGISTERED.compareAndSet(false, true)) {
            NameResolverRegistry.getDefaultRegistry().register(new FanOutResolverProvider());
        }
        return SCHEME + ":///" + ports.stream().map(String::valueOf).collect(Collectors.joining(","));
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
        List<EquivalentAddressGroup> groups = Arrays.stream(targetUri.getPath().substring(1).split(","))
                .map(port -> new EquivalentAddressGroup(new InetSocketAddress("127.0.0.1", Integer.parseInt(port))))
                .toList();
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
