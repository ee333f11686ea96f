/**
 * The channel's serializing executor, which every plug-in shares: resolvers, balancers and
 * subchannels of one channel hand their work to its {@link dev.lbchannel.serializer.Serializer}
 * and run one task at a time. Depends on nothing else of lbchannel, so the resolver and balancer
 * SPIs can both use it without depending on each other.
 */
@NullMarked
package dev.lbchannel.serializer;

import org.jspecify.annotations.NullMarked;
