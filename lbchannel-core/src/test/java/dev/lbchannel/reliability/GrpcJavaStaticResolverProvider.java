package dev.lbchannel.reliability;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * lbchannel's {@code static:///127.0.0.1:p1,127.0.0.1:p2} target for grpc-java's client, which
 * has no resolver for a fixed list of addresses: one address group per {@code ip:port}, reported
 * once, with no service config (the channel's default applies). {@link #register()} adds it to
 * grpc-java's default registry, as grpc-java asks of custom resolvers; its scheme is no scheme
 * grpc-java knows. IPv4 literals only; no name lookups.
 */
public final class GrpcJavaStaticResolverProvider extends NameResolverProvider {

    public static final String SCHEME = "static";
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    private GrpcJavaStaticResolverProvider() {
    }

    /** Registers it once per JVM; later calls do nothing. */
    public static void register() {
        if (REGISTERED.compareAndSet(false, true)) {
            NameResolverRegistry.getDefaultRegistry().register(new GrpcJavaStaticResolverProvider());
        }
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
    public @Nullable NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        String path = targetUri.getPath();
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        for (String hostAndPort : path.substring(path.startsWith("/") ? 1 : 0).split(",")) {
            int colon = hostAndPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("No port in '" + hostAndPort + "' of " + targetUri);
            }
            groups.add(new EquivalentAddressGroup(new InetSocketAddress(hostAndPort.substring(0, colon),
                    Integer.parseInt(hostAndPort.substring(colon + 1)))));
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
