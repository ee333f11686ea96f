/**
 * Slow start for the policies that spread calls over every READY endpoint ({@code round_robin},
 * {@code least_request}, {@code weighted_round_robin}), as Envoy has it: an endpoint that becomes
 * READY once the policy is warm ramps from a small share of its weight to all of it over a window,
 * so a scaled-up or restarted backend is not flooded while its caches and JIT are cold. Depends on
 * {@code balancer} and {@code config}; the policies above depend on it.
 */
@NullMarked
package dev.lbchannel.balancer.slowstart;

import org.jspecify.annotations.NullMarked;
