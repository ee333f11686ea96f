/**
 * What channelz shows: call counters, bounded traces and immutable snapshots of subchannels and
 * their sockets. Written by the channel's insides, read by {@code LbChannel.snapshot()} and the
 * actuator. Depends on {@code transport} for socket statistics.
 */
@NullMarked
package dev.lbchannel.channelz;

import org.jspecify.annotations.NullMarked;
