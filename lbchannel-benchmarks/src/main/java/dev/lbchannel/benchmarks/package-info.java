/**
 * lbchannel's benchmarks, not shipped: JMH benchmarks of the hot paths in the sub-packages, the
 * side-by-side load harness against grpc-java's client in {@code load}, and the balancing scenario
 * harness in {@code scenario}. This package holds what the harnesses share (report sections,
 * machine and CPU accounting, outstanding-call tracking). Nothing in the library depends on this
 * module.
 */
@NullMarked
package dev.lbchannel.benchmarks;

import org.jspecify.annotations.NullMarked;
