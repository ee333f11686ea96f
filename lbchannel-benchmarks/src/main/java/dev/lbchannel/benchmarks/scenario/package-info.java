/**
 * The balancing scenario harness: grpc-java backends on loopback in their own JVM, whose latency
 * and failures a scenario changes mid-run, and closed-loop clients on lbchannel's policies and on
 * grpc-java's, compared per scenario in BENCHMARKS.md with a PNG chart each. Entry point
 * {@link dev.lbchannel.benchmarks.scenario.ScenarioHarness}; may use the shared report pieces of
 * {@code dev.lbchannel.benchmarks}, nothing of the load harness's internals.
 */
@NullMarked
package dev.lbchannel.benchmarks.scenario;

import org.jspecify.annotations.NullMarked;
