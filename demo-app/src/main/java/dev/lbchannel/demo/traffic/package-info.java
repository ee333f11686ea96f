/**
 * Steady background calls over every channel, so the dashboard, channelz and the meters have
 * something to show without anyone sending requests. Calls through the client package only.
 */
@NullMarked
package dev.lbchannel.demo.traffic;

import org.jspecify.annotations.NullMarked;
