/**
 * The {@code round_robin} policy: every READY endpoint in turn, from a random start; while an
 * endpoint ramps up under slow start, in proportion to its factor. Depends on {@code balancer},
 * {@code balancer.base}, {@code balancer.slowstart} and {@code balancer.wrr} (for its scheduler).
 */
@NullMarked
package dev.lbchannel.balancer.roundrobin;

import org.jspecify.annotations.NullMarked;
