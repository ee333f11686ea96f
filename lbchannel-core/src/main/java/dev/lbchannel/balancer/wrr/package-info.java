/**
 * The {@code weighted_round_robin} policy (gRFC A58, with A114's utilization metric names):
 * round_robin's subchannels and states, but each READY endpoint gets a share of the calls in
 * proportion to a weight computed from the load reports its backend sends (ORCA, gRFC A51), per
 * call or out of band. The weights are read into a static-stride scheduler every
 * {@code weightUpdatePeriod}; a pick is one lock-free step of it. Depends on {@code balancer},
 * {@code balancer.base}, {@code balancer.slowstart}, {@code orca}, {@code config} and
 * {@code serializer}; round_robin uses its scheduler for slow start, and the registry of built-in
 * policies names it.
 */
@NullMarked
package dev.lbchannel.balancer.wrr;

import org.jspecify.annotations.NullMarked;
