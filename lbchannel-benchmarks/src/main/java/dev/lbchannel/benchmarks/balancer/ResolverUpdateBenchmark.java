package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.roundrobin.RoundRobinBalancerProvider;
import dev.lbchannel.resolver.Endpoint;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A resolver update of 10,000 endpoints applied to round_robin's base balancer: the first one,
 * which creates every subchannel, and then the same list with one endpoint replaced, which
 * issue 4 wants to cost O(1) subchannel work. The auxiliary counters report the subchannels
 * created and shut down against the number of updates, and each benchmark checks its own
 * promise every update, so the O(1) claim is measured, not assumed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResolverUpdateBenchmark {

    static final int ENDPOINTS = 10_000;

    /** Two lists that differ in their last endpoint, applied in turn. */
    @State(Scope.Benchmark)
    public static class Lists {
        ResolvedEndpoints all;
        ResolvedEndpoints oneChanged;

        @Setup
        public void build() {
            List<Endpoint> endpoints = BenchmarkBalancerHelper.endpoints(ENDPOINTS, 20_000);
            all = BenchmarkBalancerHelper.resolved(endpoints);
            List<Endpoint> changed = new ArrayList<>(endpoints);
            changed.set(ENDPOINTS - 1, BenchmarkBalancerHelper.endpoints(1, 60_000).get(0));
            oneChanged = BenchmarkBalancerHelper.resolved(changed);
        }
    }

    /** A balancer with all 10,000 subchannels READY, fed the two lists alternately. */
    @State(Scope.Thread)
    public static class Warm {
        BenchmarkBalancerHelper helper;
        Balancer balancer;
        boolean changedNext = true;

        @Setup(Level.Iteration)
        public void connectAll(Lists lists) {
            helper = new BenchmarkBalancerHelper();
            balancer = new RoundRobinBalancerProvider().newBalancer(helper);
            helper.accept(balancer, lists.all);
            helper.allReady();
            changedNext = true;
        }
    }

    /**
     * Subchannel work, reported as totals over the measured iterations (JMH sums event counters):
     * {@code subchannelsCreated / updates} is the work per update. An iteration whose work per
     * update is not what the benchmark promises fails the run.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class SubchannelWork {
        public long subchannelsCreated;
        public long subchannelsShutDown;
        public long updates;

        @Setup(Level.Iteration)
        public void reset() {
            subchannelsCreated = 0;
            subchannelsShutDown = 0;
            updates = 0;
        }

        void add(long createdNow, long shutDownNow) {
            subchannelsCreated += createdNow;
            subchannelsShutDown += shutDownNow;
            updates++;
        }

        void expectPerUpdate(long created, long shutDown) {
            if (subchannelsCreated != created * updates || subchannelsShutDown != shutDown * updates) {
                throw new IllegalStateException("Expected " + created + " created and " + shutDown
                        + " shut down per update; got " + subchannelsCreated + " and " + subchannelsShutDown
                        + " in " + updates + " updates");
            }
        }
    }

    /** The first update: a new balancer creates and starts 10,000 subchannels. */
    @Benchmark
    public Balancer firstUpdate(Lists lists, SubchannelWork work) {
        BenchmarkBalancerHelper helper = new BenchmarkBalancerHelper();
        Balancer balancer = new RoundRobinBalancerProvider().newBalancer(helper);
        helper.accept(balancer, lists.all);
        work.add(helper.creations(), helper.shutdowns());
        work.expectPerUpdate(ENDPOINTS, 0);
        return balancer;
    }

    /** The same 10,000 endpoints with one replaced (and back, on the next call). */
    @Benchmark
    public Balancer oneEndpointChanged(Lists lists, Warm warm, SubchannelWork work) {
        long created = warm.helper.creations();
        long shutDown = warm.helper.shutdowns();
        warm.helper.accept(warm.balancer, warm.changedNext ? lists.oneChanged : lists.all);
        warm.changedNext = !warm.changedNext;
        work.add(warm.helper.creations() - created, warm.helper.shutdowns() - shutDown);
        work.expectPerUpdate(1, 1);
        return warm.balancer;
    }
}
