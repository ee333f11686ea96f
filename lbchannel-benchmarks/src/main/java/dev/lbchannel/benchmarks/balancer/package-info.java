/**
 * JMH benchmarks of the balancer layer through its public API: the picks of round_robin,
 * outlier_detection, least_request, ring_hash and weighted_round_robin, resolver updates
 * applied to every policy, on a real serializer with subchannels that do nothing, and the
 * resolvers' own side of an update ({@code EndpointClaims}).
 */
@NullMarked
package dev.lbchannel.benchmarks.balancer;

import org.jspecify.annotations.NullMarked;
