package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.roundrobin.RoundRobinBalancerProvider;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The per-RPC cost of round_robin: one {@link Picker#pick} on the picker the base balancer
 * publishes once every subchannel is READY. Issue 4's target: at most 20 ns and 0 B/op at 1,000
 * subchannels (run with {@code -prof gc} for B/op). {@link #pickTwoThreads} shows what the
 * shared counter costs when two RPC threads pick at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoundRobinPickBenchmark {

    @Param({"10", "1000"})
    public int subchannels;

    private Picker picker;

    @Setup
    public void publishReadyPicker() {
        BenchmarkBalancerHelper helper = new BenchmarkBalancerHelper();
        Balancer balancer = new RoundRobinBalancerProvider().newBalancer(helper);
        helper.accept(balancer, BenchmarkBalancerHelper.resolved(BenchmarkBalancerHelper.endpoints(subchannels, 20_000)));
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
    @Threads(2)
    public PickResult pickTwoThreads() {
        return picker.pick(PickArgsStub.INSTANCE);
    }
}
