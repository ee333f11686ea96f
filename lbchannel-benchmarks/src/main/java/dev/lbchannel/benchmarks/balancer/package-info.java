/**
 * JMH benchmarks of the balancer layer through its public API: the picks of round_robin,
 * outlier_detection, least_request, ring_hash and weighted_round_robin, and resolver updates
 * applied to the base balancer, on a real serializer with subchannels that do nothing.
 */
@NullMarked
package dev.lbchannel.benchmarks.balancer;

import org.jspecify.annotations.NullMarked;
