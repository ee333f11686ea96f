/**
 * JMH benchmarks of the balancer layer through its public API: round_robin picks and resolver
 * updates applied to the base balancer, on a real serializer with subchannels that do nothing.
 */
@NullMarked
package dev.lbchannel.benchmarks.balancer;

import org.jspecify.annotations.NullMarked;
