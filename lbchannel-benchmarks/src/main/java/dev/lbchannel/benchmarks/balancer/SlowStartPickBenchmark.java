package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.config.Json;
import dev.lbchannel.resolver.Endpoint;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pick of {@code round_robin} and {@code least_request} while one endpoint ramps up under slow
 * start (an hour's window, so the ramp lasts the run): round_robin's weighted picker (A58's
 * static-stride scheduler over the factors) and least_request's with its count divided by the
 * factor. Outside a ramp the policies use their plain pickers, measured by
 * {@link RoundRobinPickBenchmark} and {@link LeastRequestPickBenchmark}. Issue 15's bar: at most
 * 30 ns and 0 B/op at 1,000 subchannels (run with {@code -prof gc} for B/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SlowStartPickBenchmark {

    @Param({"round_robin", "least_request"})
    public String policy;

    @Param({"10", "1000"})
    public int subchannels;

    private Picker picker;

    @Setup
    public void publishRampingPicker() {
        BalancerRegistry registry = BalancerRegistry.builtIns();
        BalancerProvider provider = registry.require(policy);
        Object config = provider.parseConfig(Json.parseObject(
                "{\"slowStartConfig\": {\"slowStartWindow\": \"3600s\"}}"), registry);
        BenchmarkBalancerHelper helper = new BenchmarkBalancerHelper();
        Balancer balancer = provider.newBalancer(helper);
        List<Endpoint> all = BenchmarkBalancerHelper.endpoints(subchannels, 20_000);
        helper.accept(balancer, new ResolvedEndpoints(all.subList(0, subchannels - 1), config, Attributes.EMPTY));
        helper.allReady();
        // the last endpoint comes with a later resolution: a scale-up, which ramps
        helper.accept(balancer, new ResolvedEndpoints(all, config, Attributes.EMPTY));
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
}
