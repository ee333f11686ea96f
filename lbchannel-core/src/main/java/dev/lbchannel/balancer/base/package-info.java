/**
 * The base balancer (the seed's baseBalancer): one subchannel per endpoint, aggregate state,
 * pickers rebuilt when the READY set changes. A policy supplies only a
 * {@link dev.lbchannel.balancer.base.PickerBuilder}.
 */
@NullMarked
package dev.lbchannel.balancer.base;

import org.jspecify.annotations.NullMarked;
