/**
 * The {@code ring_hash} policy (gRFC A42, with A61's picker and A76's
 * {@code requestHashHeader}): endpoints placed on a ring by xxHash64, each call sent to the
 * endpoint nearest its hash, connections made lazily as calls need them. A call's hash comes
 * from {@link dev.lbchannel.balancer.ringhash.RingHash#HASH_KEY} or a header. Depends on
 * {@code balancer}, {@code config}, {@code channelz} and {@code resolver}; nothing depends on it
 * but the registry of built-in policies.
 */
@NullMarked
package dev.lbchannel.balancer.ringhash;

import org.jspecify.annotations.NullMarked;
