/**
 * Measurements that need a fresh JVM per sample, side by side with grpc-java's client: cold
 * start (JVM start to the first completed call) and footprint (retained heap and threads per
 * idle channel and per READY connection). Each harness starts grpc-java's server in its own JVM
 * and a child JVM per sample, and writes its section of BENCHMARKS.md. Entry points
 * {@link dev.lbchannel.benchmarks.fresh.ColdStartHarness} and
 * {@link dev.lbchannel.benchmarks.fresh.FootprintHarness}.
 */
@NullMarked
package dev.lbchannel.benchmarks.fresh;

import org.jspecify.annotations.NullMarked;
