/**
 * lbchannel's benchmarks, not shipped: JMH benchmarks of the hot paths in the sub-packages, and
 * the side-by-side load harness against grpc-java's client in {@code load}. Nothing in the
 * library depends on this module.
 */
@NullMarked
package dev.lbchannel.benchmarks;

import org.jspecify.annotations.NullMarked;
