/**
 * The {@code pick_first} policy: one subchannel over all addresses, tried in order.
 */
@NullMarked
package dev.lbchannel.balancer.pickfirst;

import org.jspecify.annotations.NullMarked;
