/**
 * The {@code round_robin} policy: every READY endpoint in turn, from a random start.
 */
@NullMarked
package dev.lbchannel.balancer.roundrobin;

import org.jspecify.annotations.NullMarked;
