/**
 * Per-channel health: one indicator per configured channel under the composite contributor
 * {@code lbchannel}, mapping the channel's connectivity state to a health status. Reads
 * {@code LbChannel.snapshot()} only; independent of the channelz and metrics packages.
 */
@NullMarked
package dev.lbchannel.actuate.health;

import org.jspecify.annotations.NullMarked;
