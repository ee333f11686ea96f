package dev.lbchannel.resolver;

import dev.lbchannel.resolver.dns.DnsResolverProvider;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The built-in resolvers' providers, each made the first time its scheme is asked for and then
 * shared (they are stateless): a channel whose target is {@code host:port} makes the DNS one
 * only, and a fresh JVM's first channel does not pay for the others. Thread-safe.
 */
final class BuiltInResolvers {

    /** The built-in schemes, sorted. */
    static final List<String> SCHEMES = List.of(DnsResolverProvider.SCHEME, PassthroughResolverProvider.SCHEME,
            StaticResolverProvider.SCHEME, UnixResolverProvider.SCHEME);

    private static final AtomicReferenceArray<ResolverProvider> MADE = new AtomicReferenceArray<>(SCHEMES.size());

    private BuiltInResolvers() {
    }

    /** The built-in provider of {@code scheme}, or {@code null} when none is built in. */
    static @Nullable ResolverProvider get(String scheme) {
        int index = SCHEMES.indexOf(scheme);
        if (index < 0) {
            return null;
        }
        ResolverProvider made = MADE.get(index);
        if (made == null) {
            MADE.compareAndSet(index, null, create(scheme));
            made = MADE.get(index);
        }
        return made;
    }

    private static ResolverProvider create(String scheme) {
        return switch (scheme) {
            case DnsResolverProvider.SCHEME -> new DnsResolverProvider();
            case PassthroughResolverProvider.SCHEME -> new PassthroughResolverProvider();
            case StaticResolverProvider.SCHEME -> new StaticResolverProvider();
            case UnixResolverProvider.SCHEME -> new UnixResolverProvider();
            default -> throw new IllegalArgumentException("No built-in resolver for scheme '" + scheme + "'");
        };
    }
}
