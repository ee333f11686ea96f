package dev.lbchannel.resolver;

import dev.lbchannel.resolver.dns.DnsResolverProvider;
import dev.lbchannel.target.Target;
import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The resolver providers one channel (or one application context) knows, by scheme. Immutable:
 * {@link #with} returns a new registry, so registries are never shared state between channels.
 */
public final class ResolverRegistry {

    /** The scheme a target without a registered scheme resolves with, as gRPC's naming doc says. */
    public static final String DEFAULT_SCHEME = "dns";

    private final Map<String, ResolverProvider> providers;

    private ResolverRegistry(Map<String, ResolverProvider> providers) {
        // Unmodifiable: builtIns() is one instance every channel shares.
        this.providers = Collections.unmodifiableMap(providers);
    }

    /** Built once: the built-in providers are stateless, and a registry per channel cost each one its own maps. */
    private static final class BuiltIns {
        static final ResolverRegistry INSTANCE = empty()
                .with(new PassthroughResolverProvider())
                .with(new StaticResolverProvider())
                .with(new UnixResolverProvider())
                .with(new DnsResolverProvider());
    }

    /** A registry with no resolver at all. */
    public static ResolverRegistry empty() {
        return new ResolverRegistry(new TreeMap<>());
    }

    /** A registry of the built-in resolvers: {@code dns}, {@code passthrough}, {@code static}, {@code unix}. */
    public static ResolverRegistry builtIns() {
        return BuiltIns.INSTANCE;
    }

    /** A registry with {@code provider} added, replacing any provider of the same scheme. */
    public ResolverRegistry with(ResolverProvider provider) {
        requireNonNull(provider, "provider");
        String scheme = requireNonNull(provider.scheme(), "provider.scheme()");
        Map<String, ResolverProvider> copy = new TreeMap<>(providers);
        copy.put(scheme, provider);
        return new ResolverRegistry(copy);
    }

    public @Nullable ResolverProvider get(String scheme) {
        return providers.get(scheme);
    }

    /** The registered schemes, sorted. */
    public Set<String> schemes() {
        return providers.keySet();
    }

    public Collection<ResolverProvider> providers() {
        return providers.values();
    }

    /**
     * Turns a target string into a target with a registered scheme. A string that has a
     * registered scheme is taken as is; one without a scheme, or whose would-be scheme is
     * unregistered and not followed by a slash ({@code orders:8443}), becomes
     * {@code dns:///<target>}.
     *
     * @throws IllegalArgumentException when the target is malformed or its scheme unknown; the
     *     message names the target and the registered schemes
     */
    public Target parseTarget(String text) {
        Target parsed = Target.parse(text);
        if (parsed != null && providers.containsKey(parsed.scheme())) {
            return parsed;
        }
        if (parsed != null && parsed.isHierarchical()) {
            throw new IllegalArgumentException("Unknown scheme '" + parsed.scheme() + "' in target '"
                    + text + "'; known schemes: " + String.join(", ", schemes()));
        }
        Target fallback = Target.of(DEFAULT_SCHEME, text);
        if (!providers.containsKey(DEFAULT_SCHEME)) {
            throw new IllegalArgumentException("Target '" + text + "' has no scheme and the default scheme '"
                    + DEFAULT_SCHEME + "' is not registered; write it as <scheme>:///" + text
                    + " with one of: " + String.join(", ", schemes()));
        }
        return fallback;
    }

    /** The provider for a target returned by {@link #parseTarget}. */
    public ResolverProvider providerFor(Target target) {
        ResolverProvider provider = providers.get(target.scheme());
        if (provider == null) {
            throw new IllegalArgumentException("Unknown scheme '" + target.scheme() + "' in target '"
                    + target + "'; known schemes: " + String.join(", ", schemes()));
        }
        return provider;
    }
}
