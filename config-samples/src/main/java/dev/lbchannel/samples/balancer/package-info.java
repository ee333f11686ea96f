/**
 * A custom load-balancing policy sample: {@code preferred_subnets} keeps calls on backends in
 * the client's own network (its zone or data centre) and spills over to the others only when
 * none of those is READY. Built on lbchannel-core's base balancer; selected from YAML through
 * {@code service-config.loadBalancingConfig} once its provider is a bean.
 */
@NullMarked
package dev.lbchannel.samples.balancer;

import org.jspecify.annotations.NullMarked;
