/**
 * The load-balancing SPI: a {@link dev.lbchannel.balancer.BalancerProvider} chosen by policy
 * name creates a {@link dev.lbchannel.balancer.Balancer} that turns endpoints into subchannels
 * and a {@link dev.lbchannel.balancer.Picker}. Every balancer call runs on the channel's
 * {@link dev.lbchannel.serializer.Serializer}. Depends on {@code resolver} for endpoints and on
 * {@code serializer}.
 */
@NullMarked
package dev.lbchannel.balancer;

import org.jspecify.annotations.NullMarked;
