/**
 * The {@code peak_ewma} policy (ours, after Finagle's Peak-EWMA balancer): power of two choices
 * over the READY endpoints by each one's peak-sensitive moving average of call latency times its
 * calls in flight, so a slow or overloaded backend gets fewer calls as soon as it slows. Depends
 * on {@code balancer}, {@code balancer.base}, {@code balancer.leastrequest} (for A48's
 * {@code choiceCount} rules) and {@code config}; nothing depends on it but the registry of
 * built-in policies.
 */
@NullMarked
package dev.lbchannel.balancer.peakewma;

import org.jspecify.annotations.NullMarked;
