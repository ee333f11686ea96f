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
 * What outlier detection (gRFC A50) adds to a call's balancer work: a pick, then, as the
 * channel does when the attempt's stream closes, the pick's outcome listener told the status.
 * {@code round_robin} alone has no listener; under {@code outlier_detection} with both algorithms
 * on, the pick returns the subchannel's one counting result and the listener adds to a striped
 * counter. Issue 13's bar: picks stay at 0 B/op (run with {@code -prof gc}), and the difference
 * is small next to the client CPU of a call (the load harness measures that).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutlierDetectionPickBenchmark {

    private static final String OUTLIER_DETECTION = """
            {"interval": "10s", "successRateEjection": {}, "failurePercentageEjection": {},
             "childPolicy": [{"round_robin": {}}]}""";

    @Param({"round_robin", "outlier_detection"})
    public String policy;

    @Param({"10", "1000"})
    public int subchannels;

    private Picker picker;

    @Setup
    public void publishReadyPicker() {
        BalancerRegistry registry = BalancerRegistry.builtIns();
        BalancerProvider provider = registry.require(policy);
        Object config = policy.equals("outlier_detection")
                ? provider.parseConfig(Json.parseObject(OUTLIER_DETECTION), registry) : null;
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
    public PickResult pickAndEnd() {
        return pickAndEnd(picker);
    }

    @Benchmark
    @Threads(2)
    public PickResult pickAndEndTwoThreads() {
        return pickAndEnd(picker);
    }

    private static PickResult pickAndEnd(Picker picker) {
        PickResult result = picker.pick(PickArgsStub.INSTANCE);
        CallOutcomeListener listener = result.outcomeListener();
        if (listener != null) {
            listener.onCallEnded(Status.OK);
        }
        return result;
    }
}
