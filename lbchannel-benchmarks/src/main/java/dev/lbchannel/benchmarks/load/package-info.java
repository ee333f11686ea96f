/**
 * The side-by-side load harness: a grpc-java server in its own pinned JVM, and this JVM's
 * closed-loop clients on lbchannel and on grpc-java's own channel, measured alternately on the
 * same server; it writes BENCHMARKS.md. Entry point {@link dev.lbchannel.benchmarks.load.LoadHarness}.
 */
@NullMarked
package dev.lbchannel.benchmarks.load;

import org.jspecify.annotations.NullMarked;
