/**
 * The {@code least_request} policy (gRFC A48): round_robin's subchannels and states, but each pick
 * samples a few READY endpoints at random and takes the one with the fewest calls in flight,
 * counted per endpoint from the calls' starts and ends. Depends on {@code balancer},
 * {@code balancer.base} and {@code config}; nothing depends on it but the registry of built-in
 * policies.
 */
@NullMarked
package dev.lbchannel.balancer.leastrequest;

import org.jspecify.annotations.NullMarked;
