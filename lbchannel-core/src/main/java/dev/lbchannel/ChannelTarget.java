package dev.lbchannel;

import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.target.Target;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.Executor;

/**
 * A channel's target as written, parsed, and the provider of its scheme: what a resolver is made
 * from. A channel starts with one from its builder and gets another from
 * {@link LbChannel#updateTarget}. Immutable.
 */
record ChannelTarget(String text, Target target, ResolverProvider provider) {

    /**
     * Parses {@code text} with {@code resolvers} and validates it by creating a resolver for it,
     * which starts no work and is shut down at once.
     *
     * @throws IllegalArgumentException for a malformed target, an unknown scheme, or a target its
     *     scheme rejects; the message names the target and the problem
     */
    static ChannelTarget resolve(String text, ResolverRegistry resolvers, int defaultPort, EventLoopGroup group,
            Executor offloadExecutor) {
        Target parsed = resolvers.parseTarget(text);
        ResolverProvider provider = resolvers.providerFor(parsed);
        // The serializer given here never runs anything: a resolver starts no work until start().
        Serializer unused = new Serializer((thread, error) -> { });
        provider.newResolver(parsed, new ResolverArgs(defaultPort, group.next(), offloadExecutor, group, unused))
                .shutdown();
        return new ChannelTarget(text, parsed, provider);
    }

    /** The authority calls carry when the channel does not override it: the scheme derives it from the target. */
    String defaultAuthority() {
        return provider.defaultAuthority(target);
    }
}
