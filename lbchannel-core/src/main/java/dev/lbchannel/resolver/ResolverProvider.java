package dev.lbchannel.resolver;

import dev.lbchannel.target.Target;

/**
 * Creates resolvers for one target scheme. A channel picks the provider registered under its
 * target's scheme; registering a provider under a built-in's scheme replaces the built-in.
 * Implementations are stateless and thread-safe.
 */
public interface ResolverProvider {

    /** The scheme this provider resolves, lower case, such as {@code dns} or {@code static}. */
    String scheme();

    /**
     * Creates a resolver for {@code target}. Creating one must start no work (the channel also
     * creates one at build time only to validate the target); work starts with
     * {@link Resolver#start}.
     *
     * @throws IllegalArgumentException when the target is malformed for this scheme; the
     *     message names the target and what is wrong
     */
    Resolver newResolver(Target target, ResolverArgs args);

    /**
     * The authority RPCs carry by default ({@code :authority}, TLS server name), derived from
     * the target: for most schemes the endpoint's host and port.
     */
    default String defaultAuthority(Target target) {
        return target.endpoint();
    }
}
