package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointClaims;
import dev.lbchannel.resolver.EndpointList;
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
 * The resolver's side of a one-endpoint change (issue 18, item 5), at 1,000 / 10,000 / 100,000
 * endpoints claimed by sources of 100 each, as EndpointSlices hold them: {@code keyChanged} is an
 * etcd watch event (one source releases its endpoint, another claims a new one); {@code
 * sliceChanged} is an EndpointSlice event as the Kubernetes resolver applies it (the slice's 100
 * endpoints claimed again, one of them new, the one it replaced released). Each ends with the
 * derived list the balancers get, and replaces the endpoint back on the next call. Run with
 * {@code -prof gc} for the bytes per change.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class EndpointClaimsBenchmark {

    private static final int SLICE = 100;

    @Param({"1000", "10000", "100000"})
    public int endpoints;

    private EndpointClaims claims;
    private List<Endpoint> all;
    /** The last slice's endpoints as claimed now; its last one alternates between two. */
    private Endpoint[] lastSlice;
    private String lastSliceName;
    private Endpoint other;

    @Setup
    public void claimAll() {
        all = BenchmarkBalancerHelper.distinctEndpoints(endpoints, 0, 443);
        other = BenchmarkBalancerHelper.distinctEndpoints(1, 200, 443).get(0);
        claims = new EndpointClaims();
        for (int i = 0; i < endpoints; i++) {
            claims.claim("slice-" + (i / SLICE), all.get(i));
        }
        claims.endpoints().get(0); // worked out: the steady state
        lastSliceName = "slice-" + ((endpoints - 1) / SLICE);
        lastSlice = all.subList(endpoints - SLICE, endpoints).toArray(new Endpoint[0]);
    }

    @Benchmark
    public EndpointList keyChanged() {
        Endpoint gone = lastSlice[SLICE - 1];
        claims.release(lastSliceName, gone.addresses());
        claims.claim(lastSliceName, other);
        lastSlice[SLICE - 1] = other;
        other = gone;
        return claims.endpoints();
    }

    @Benchmark
    public EndpointList sliceChanged() {
        Endpoint gone = lastSlice[SLICE - 1];
        lastSlice[SLICE - 1] = other;
        other = gone;
        claims.release(lastSliceName, gone.addresses());
        for (Endpoint endpoint : lastSlice) {
            claims.claim(lastSliceName, endpoint); // unchanged claims change nothing
        }
        return claims.endpoints();
    }
}
