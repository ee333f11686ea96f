package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.config.Json;
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

import java.util.concurrent.TimeUnit;

/**
 * The per-RPC balancer cost of {@code peak_ewma} (two choices): {@link #pick} is the picker alone
 * (a clock read, two random samples, each a volatile read or two and an {@code exp} for the
 * average's decay); {@link #pickStartAndEnd} adds what the channel does around the call, the
 * listener told the stream opened and ended with its duration (an atomic increment and decrement,
 * a clock read, a stamp swap, an {@code exp} and a compare-and-set of the average). Issue 15's
 * bar: at most 30 ns and 0 B/op at 1,000 subchannels (run with {@code -prof gc} for B/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeakEwmaPickBenchmark {

    /** The trailers of a call that ended on the server's side without any. */
    private static final Metadata TRAILERS = new Metadata();

    @Param({"10", "1000"})
    public int subchannels;

    private Picker picker;

    @Setup
    public void publishReadyPicker() {
        BalancerRegistry registry = BalancerRegistry.builtIns();
        BalancerProvider provider = registry.require("peak_ewma");
        Object config = provider.parseConfig(Json.parseObject("{\"decayTime\": \"10s\"}"), registry);
        BenchmarkBalancerHelper helper = new BenchmarkBalancerHelper();
        Balancer balancer = provider.newBalancer(helper);
        helper.accept(balancer, new ResolvedEndpoints(BenchmarkBalancerHelper.endpoints(subchannels, 20_000), config,
                Attributes.EMPTY));
        helper.allReady();
        if (helper.state() != ConnectivityState.READY) {
            throw new IllegalStateException("Expected READY, was " + helper.state());
        }
        picker = helper.picker();
        for (int i = 0; i < 20 * subchannels; i++) {
            pickStartAndEnd(picker, i); // every endpoint with a sample, as in steady state
        }
    }

    @Benchmark
    public PickResult pick() {
        return picker.pick(PickArgsStub.INSTANCE);
    }

    @Benchmark
    public PickResult pickStartAndEnd() {
        return pickStartAndEnd(picker, 1_000_000);
    }

    @Benchmark
    @Threads(2)
    public PickResult pickStartAndEndTwoThreads() {
        return pickStartAndEnd(picker, 1_000_000);
    }

    private static PickResult pickStartAndEnd(Picker picker, long durationNanos) {
        PickResult result = picker.pick(PickArgsStub.INSTANCE);
        CallOutcomeListener listener = result.outcomeListener();
        listener.onCallStarted();
        listener.onCallEnded(Status.OK, TRAILERS, durationNanos);
        return result;
    }
}
