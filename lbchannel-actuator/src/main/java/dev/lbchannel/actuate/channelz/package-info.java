/**
 * The {@code channelz} actuator endpoint: every configured channel with its subchannels, sockets
 * and trace, as JSON whose field names are part of lbchannel's public contract (DESIGN.md,
 * "Actuator face"). Reads {@code LbChannel.snapshot()} only; nothing here depends on the health or
 * metrics packages.
 */
@NullMarked
package dev.lbchannel.actuate.channelz;

import org.jspecify.annotations.NullMarked;
