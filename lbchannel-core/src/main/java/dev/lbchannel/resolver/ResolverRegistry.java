package dev.lbchannel.resolver;

import dev.lbchannel.target.Target;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The resolver providers one channel (or one application context) knows, by scheme: the built-in
 * ones (made on first use) unless the registry started {@link #empty()}, and those added with
 * {@link #with}, which replace a built-in of the same scheme. Immutable:
 * {@link #with} returns a new registry, so registries are never shared state between channels.
 */
public final class ResolverRegistry {

    /** The scheme a target without a registered scheme resolves with, as gRPC's naming doc says. */
    public static final String DEFAULT_SCHEME = "dns";

    private static final ResolverRegistry EMPTY = new ResolverRegistry(Map.of(), false);
    private static final ResolverRegistry BUILT_INS = new ResolverRegistry(Map.of(), true);

    /** What {@link #with} added, by scheme; unmodifiable. */
    private final Map<String, ResolverProvider> added;
    /** Whether the built-in resolvers are known too (made on first use, see {@link BuiltInResolvers}). */
    private final boolean builtIns;

    private ResolverRegistry(Map<String, ResolverProvider> added, boolean builtIns) {
        this.added = added;
        this.builtIns = builtIns;
    }

    /** A registry with no resolver at all. */
    public static ResolverRegistry empty() {
        return EMPTY;
    }

    /** A registry of the built-in resolvers: {@code dns}, {@code passthrough}, {@code static}, {@code unix}. */
    public static ResolverRegistry builtIns() {
        return BUILT_INS;
    }

    /** A registry with {@code provider} added, replacing any provider of the same scheme. */
    public ResolverRegistry with(ResolverProvider provider) {
        requireNonNull(provider, "provider");
        String scheme = requireNonNull(provider.scheme(), "provider.scheme()");
        Map<String, ResolverProvider> copy = new TreeMap<>(added);
        copy.put(scheme, provider);
        return new ResolverRegistry(Collections.unmodifiableMap(copy), builtIns);
    }

    public @Nullable ResolverProvider get(String scheme) {
        ResolverProvider provider = added.get(scheme);
        return provider != null || !builtIns ? provider : BuiltInResolvers.get(scheme);
    }

    /** The registered schemes, sorted. */
    public Set<String> schemes() {
        Set<String> schemes = new TreeSet<>(added.keySet());
        if (builtIns) {
            schemes.addAll(BuiltInResolvers.SCHEMES);
        }
        return Collections.unmodifiableSet(schemes);
    }

    /** Every registered provider, in the order of their schemes (the built-ins made now, if not yet). */
    public Collection<ResolverProvider> providers() {
        List<ResolverProvider> providers = new ArrayList<>();
        for (String scheme : schemes()) {
            providers.add(requireNonNull(get(scheme), scheme));
        }
        return Collections.unmodifiableList(providers);
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
        if (parsed != null && get(parsed.scheme()) != null) {
            return parsed;
        }
        if (parsed != null && parsed.isHierarchical()) {
            throw new IllegalArgumentException("Unknown scheme '" + parsed.scheme() + "' in target '"
                    + text + "'; known schemes: " + String.join(", ", schemes()));
        }
        Target fallback = Target.of(DEFAULT_SCHEME, text);
        if (get(DEFAULT_SCHEME) == null) {
            throw new IllegalArgumentException("Target '" + text + "' has no scheme and the default scheme '"
                    + DEFAULT_SCHEME + "' is not registered; write it as <scheme>:///" + text
                    + " with one of: " + String.join(", ", schemes()));
        }
        return fallback;
    }

    /** The provider for a target returned by {@link #parseTarget}. */
    public ResolverProvider providerFor(Target target) {
        ResolverProvider provider = get(target.scheme());
        if (provider == null) {
            throw new IllegalArgumentException("Unknown scheme '" + target.scheme() + "' in target '"
                    + target + "'; known schemes: " + String.join(", ", schemes()));
        }
        return provider;
    }
}
