/**
 * The demo's own name resolver, scheme {@code demo}: the live example of adding a resolver to
 * lbchannel by declaring a {@code ResolverProvider} bean. It depends on the backend package for
 * the addresses and on lbchannel-core's resolver SPI, nothing else.
 */
@NullMarked
package dev.lbchannel.demo.resolver;

import org.jspecify.annotations.NullMarked;
