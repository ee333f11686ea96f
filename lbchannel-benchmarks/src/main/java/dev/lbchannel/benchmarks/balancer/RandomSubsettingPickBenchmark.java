package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.config.Json;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@code random_subsetting} (gRFC A68) over round_robin, subsets of 20: {@link #pick} is the
 * child's picker as published (the parent adds nothing to a pick); {@link #resolution} is an
 * update with the same endpoints, which hashes and sorts them all and hands the child its subset
 * (no subchannel changes). Issue 15's pick bar: at most 30 ns and 0 B/op at 1,000 endpoints.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RandomSubsettingPickBenchmark {

    @Param({"10", "1000"})
    public int endpoints;

    private BenchmarkBalancerHelper helper;
    private Balancer balancer;
    private ResolvedEndpoints resolved;
    private Picker picker;

    @Setup
    public void publishReadyPicker() {
        BalancerRegistry registry = BalancerRegistry.builtIns();
        BalancerProvider provider = registry.require("random_subsetting");
        Object config = provider.parseConfig(Json.parseObject(
                "{\"subsetSize\": 20, \"childPolicy\": [{\"round_robin\": {}}]}"), registry);
        helper = new BenchmarkBalancerHelper();
        balancer = provider.newBalancer(helper);
        resolved = new ResolvedEndpoints(BenchmarkBalancerHelper.endpoints(endpoints, 20_000), config,
                Attributes.EMPTY);
        helper.accept(balancer, resolved);
        helper.allReady();
        if (helper.state() != ConnectivityState.READY) {
            throw new IllegalStateException("Expected READY, was " + helper.state());
        }
        picker = helper.picker();
    }

    @Benchmark
    public PickResult pick() {
        return picker.pick(PickArgsStub.INSTANCE);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void resolution() {
        helper.accept(balancer, resolved);
    }
}
