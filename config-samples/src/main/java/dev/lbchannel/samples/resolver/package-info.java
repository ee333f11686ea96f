/**
 * A custom resolver sample: the {@code file} scheme reads a service's endpoints from a text file
 * that deployment tooling keeps up to date, re-reading it when the channel asks and on a poll
 * interval. Declaring {@link dev.lbchannel.samples.resolver.EndpointsFileResolverProvider} as a
 * bean is all the starter needs to route {@code file:///...} targets to it. Depends on
 * lbchannel-core's resolver SPI and Spring Boot only.
 */
@NullMarked
package dev.lbchannel.samples.resolver;

import org.jspecify.annotations.NullMarked;
