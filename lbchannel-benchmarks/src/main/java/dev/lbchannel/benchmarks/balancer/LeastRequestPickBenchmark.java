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
 * The per-RPC balancer cost of {@code least_request} (gRFC A48, two choices): {@link #pick} is
 * the picker alone (two random samples, two volatile reads); {@link #pickStartAndEnd} adds what
 * the channel does around the call, the outcome listener told the stream opened and ended (an
 * atomic increment and decrement of the chosen endpoint's counter). Issue 15's bar: at most
 * 30 ns and 0 B/op at 1,000 subchannels (run with {@code -prof gc} for B/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LeastRequestPickBenchmark {

    @Param({"10", "1000"})
    public int subchannels;

    private Picker picker;

    @Setup
    public void publishReadyPicker() {
        BalancerRegistry registry = BalancerRegistry.builtIns();
        BalancerProvider provider = registry.require("least_request");
        Object config = provider.parseConfig(Json.parseObject("{\"choiceCount\": 2}"), registry);
        BenchmarkBalancerHelper helper = new BenchmarkBalancerHelper();
        Balancer balancer = provider.newBalancer(helper);
        helper.accept(balancer, new ResolvedEndpoints(BenchmarkBalancerHelper.endpoints(subchannels, 20_000), config,
                Attributes.EMPTY));
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
    public PickResult pickStartAndEnd() {
        return pickStartAndEnd(picker);
    }

    @Benchmark
    @Threads(2)
    public PickResult pickStartAndEndTwoThreads() {
        return pickStartAndEnd(picker);
    }

    private static PickResult pickStartAndEnd(Picker picker) {
        PickResult result = picker.pick(PickArgsStub.INSTANCE);
        CallOutcomeListener listener = result.outcomeListener();
        listener.onCallStarted();
        listener.onCallEnded(Status.OK);
        return result;
    }
}
