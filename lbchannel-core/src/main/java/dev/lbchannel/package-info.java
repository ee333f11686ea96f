/**
 * The load-balancing gRPC channel: {@link dev.lbchannel.LbChannel}, its builder and its snapshot.
 * The channel's insides (resolver bridge, balancer bridge, subchannels, picker holder, state
 * manager) live here package-private, one concept per file; they join the SPIs of the
 * sub-packages and may depend on all of them.
 */
@NullMarked
package dev.lbchannel;

import org.jspecify.annotations.NullMarked;
