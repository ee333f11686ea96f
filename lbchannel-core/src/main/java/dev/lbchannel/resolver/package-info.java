/**
 * The name-resolution SPI: a {@link dev.lbchannel.resolver.ResolverProvider} chosen by the
 * target's scheme creates a {@link dev.lbchannel.resolver.Resolver} that reports endpoints and a
 * service config. Built-in resolvers live in sub-packages or here when tiny. Depends on
 * {@code target} only.
 */
@NullMarked
package dev.lbchannel.resolver;

import org.jspecify.annotations.NullMarked;
