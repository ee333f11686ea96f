/**
 * The name-resolution SPI: a {@link dev.lbchannel.resolver.ResolverProvider} chosen by the
 * target's scheme creates a {@link dev.lbchannel.resolver.Resolver} that reports endpoints and a
 * service config. Built-in resolvers live in sub-packages or here when tiny. Depends on
 * {@code target} and on {@code serializer}, the channel's executor that resolvers report through.
 */
@NullMarked
package dev.lbchannel.resolver;

import org.jspecify.annotations.NullMarked;
