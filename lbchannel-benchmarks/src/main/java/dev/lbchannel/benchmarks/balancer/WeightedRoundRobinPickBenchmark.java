package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.config.Json;
import dev.lbchannel.orca.OrcaLoadReport;
import dev.lbchannel.orca.OrcaMessages;
import dev.lbchannel.orca.OrcaPerCallReports;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.Metadata;
import io.grpc.Status;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The per-RPC balancer cost of {@code weighted_round_robin} (gRFC A58) with every endpoint
 * weighted (weights 1, 2 and 3 in turn, from per-call ORCA reports fed in before measuring):
 * {@link #pick} is the static-stride scheduler's step and an array read. Issue 15's bar: at most
 * 30 ns and 0 B/op at 1,000 subchannels (run with {@code -prof gc} for B/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WeightedRoundRobinPickBenchmark {

    @Param({"10", "1000"})
    public int subchannels;

    private Picker picker;

    @Setup
    public void publishWeightedPicker() {
        BalancerRegistry registry = BalancerRegistry.builtIns();
        BalancerProvider provider = registry.require("weighted_round_robin");
        // No blackout, and no timer-driven update while measuring: the picker under test is the one built here.
        Object config = provider.parseConfig(Json.parseObject(
                "{\"blackoutPeriod\": \"0s\", \"weightUpdatePeriod\": \"3600s\"}"), registry);
        BenchmarkBalancerHelper helper = new BenchmarkBalancerHelper();
        Balancer balancer = provider.newBalancer(helper);
        ResolvedEndpoints resolved = new ResolvedEndpoints(BenchmarkBalancerHelper.endpoints(subchannels, 20_000),
                config, Attributes.EMPTY);
        helper.accept(balancer, resolved);
        helper.allReady();
        report(helper.picker());
        helper.accept(balancer, resolved);   // a new resolution rebuilds the picker with the weights
        if (helper.state() != ConnectivityState.READY) {
            throw new IllegalStateException("Expected READY, was " + helper.state());
        }
        picker = helper.picker();
    }

    /** Ends one call on every endpoint with a per-call report: utilization 0.6, 0.3 or 0.2 at 100 qps. */
    private void report(Picker roundRobin) {
        double[] utilizations = {0.6, 0.3, 0.2};
        Set<Subchannel> reported = new HashSet<>();
        for (int i = 0; reported.size() < subchannels; i++) {
            PickResult result = roundRobin.pick(PickArgsStub.INSTANCE);
            if (reported.add(result.subchannel())) {
                Metadata trailers = new Metadata();
                OrcaLoadReport load = OrcaLoadReport.builder().qps(100)
                        .cpuUtilization(utilizations[reported.size() % 3]).build();
                trailers.put(OrcaPerCallReports.TRAILER, OrcaMessages.encodeReport(load));
                result.outcomeListener().onCallEnded(Status.OK, trailers);
            }
            if (i > 100 * subchannels) {
                throw new IllegalStateException("Only " + reported.size() + " endpoints picked");
            }
        }
    }

    @Benchmark
    public PickResult pick() {
        return picker.pick(PickArgsStub.INSTANCE);
    }

    @Benchmark
    @Threads(2)
    public PickResult pickTwoThreads() {
        return picker.pick(PickArgsStub.INSTANCE);
    }
}
