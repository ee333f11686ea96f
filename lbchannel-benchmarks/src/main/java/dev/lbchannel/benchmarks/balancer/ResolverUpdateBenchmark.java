package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.config.Json;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Resolver updates applied to each built-in policy at 1,000 / 10,000 / 100,000 endpoints (issue 18,
 * item 5): the first one, which creates every subchannel, and then the whole list again with one
 * endpoint replaced, which should cost the balancer O(1) work beyond one hash lookup per endpoint.
 * The lists hold equal but distinct endpoint objects, as a resolver's successive results do, so
 * every lookup compares addresses rather than references. Run with {@code -prof gc} for the
 * garbage per update ({@code gc.alloc.rate.norm}).
 *
 * <p>{@code oneEndpointChanged}: the replaced endpoint and its replacement never connect, so the
 * READY set stays as it is and no picker need be built. {@code oneEndpointChangedAndConnects}: the
 * replacement connects at once, so the READY set changes on every update and a picker is built.
 * The auxiliary counters report the subchannels created and shut down against the number of
 * updates, and each benchmark checks its own promise every update, so the O(1) subchannel work is
 * measured, not assumed.
 *
 * <p>{@code delivery}: {@code list} hands the balancer the whole list each time, as a resolver
 * that re-reads everything does (DNS); {@code change} hands it an {@link EndpointList} derived
 * from the last one with the one endpoint replaced, as a registry's watch reports it, so a
 * balancer that applies changes reads only the change. The derivation (and the list's amortised
 * working-out, once per n/2 changes) is counted in the update.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Short iterations: 120 configurations, and the figures are µs to ms per update.
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ResolverUpdateBenchmark {

    /** random_subsetting's subset: a child round_robin over this many of the endpoints. */
    static final int SUBSET_SIZE = 100;

    private static final String SUBSETTING = "{\"subsetSize\": " + SUBSET_SIZE
            + ", \"childPolicy\": [{\"round_robin\": {}}]}";
    /*
     * Timers longer than a fork's run, so that what they do (a sweep, a weight update over every
     * endpoint) is not counted against the updates; detection is on, so trackers are kept.
     */
    private static final String OUTLIER_DETECTION = """
            {"interval": "600s", "successRateEjection": {}, "failurePercentageEjection": {},
             "childPolicy": [{"round_robin": {}}]}""";
    private static final String WEIGHTED_ROUND_ROBIN = "{\"weightUpdatePeriod\": \"600s\"}";

    /** The policy and two lists that differ in their last endpoint, applied in turn. */
    @State(Scope.Benchmark)
    public static class Lists {
        @Param({"1000", "10000", "100000"})
        public int endpoints;

        @Param({"round_robin", "least_request", "weighted_round_robin", "peak_ewma", "ring_hash",
                "random_subsetting", "outlier_detection", "pick_first"})
        public String policy;

        BalancerProvider provider;
        Object config;
        ResolvedEndpoints all;
        ResolvedEndpoints oneChanged;

        @Setup
        public void build() {
            BalancerRegistry registry = BalancerRegistry.builtIns();
            provider = registry.require(policy);
            config = switch (policy) {
                case "random_subsetting" -> provider.parseConfig(Json.parseObject(SUBSETTING), registry);
                case "outlier_detection" -> provider.parseConfig(Json.parseObject(OUTLIER_DETECTION), registry);
                case "weighted_round_robin" -> provider.parseConfig(Json.parseObject(WEIGHTED_ROUND_ROBIN), registry);
                default -> null;
            };
            all = new ResolvedEndpoints(BenchmarkBalancerHelper.distinctEndpoints(endpoints, 0, 443), config,
                    Attributes.EMPTY);
            // Built again, not copied: equal endpoints, distinct objects.
            List<Endpoint> changed = new ArrayList<>(BenchmarkBalancerHelper.distinctEndpoints(endpoints, 0, 443));
            changed.set(endpoints - 1, BenchmarkBalancerHelper.distinctEndpoints(1, 200, 443).get(0));
            oneChanged = new ResolvedEndpoints(changed, config, Attributes.EMPTY);
        }

        /** Subchannels the first update creates. */
        int firstCreations() {
            return switch (policy) {
                case "pick_first" -> 1;
                case "random_subsetting" -> Math.min(endpoints, SUBSET_SIZE);
                default -> endpoints;
            };
        }
    }

    /** A balancer with every subchannel READY, fed the two lists alternately. */
    @State(Scope.Thread)
    public static class Warm {
        /** A parameter of the updates only: the first update is the same either way. */
        @Param({"list", "change"})
        public String delivery;

        BenchmarkBalancerHelper helper;
        Balancer balancer;
        boolean changedNext = true;
        int churn;
        /** For {@code change}: the last list handed over, its last endpoint, and the one to put in its place. */
        EndpointList chain;
        Endpoint chainLast;
        Endpoint chainOther;

        /*
         * Once per fork, not per iteration: JMH's GC profiler counts what the iteration's setup
         * allocates (100,000 subchannels) against its updates.
         */
        @Setup(Level.Trial)
        public void connectAll(Lists lists) {
            helper = new BenchmarkBalancerHelper();
            balancer = lists.provider.newBalancer(helper);
            chain = EndpointList.of(lists.all.endpoints());
            chainLast = chain.get(lists.endpoints - 1);
            chainOther = lists.oneChanged.endpoints().get(lists.endpoints - 1);
            helper.accept(balancer, delivery.equals("change")
                    ? new ResolvedEndpoints(chain, lists.config, Attributes.EMPTY) : lists.all);
            helper.allReady();
            if (helper.state() != ConnectivityState.READY) {
                throw new IllegalStateException(lists.policy + ": expected READY, was " + helper.state());
            }
            // Once there and back, so the measured updates start in their steady state (the last
            // endpoint not READY), and to count this balancer's churn: random_subsetting's subset
            // holds the changed endpoint or not depending on the seed this balancer drew.
            long created = helper.creations();
            helper.accept(balancer, next(lists));
            helper.accept(balancer, next(lists));
            helper.forgetCreated();
            churn = lists.policy.equals("pick_first") ? 0 : (int) (helper.creations() - created) / 2;
            changedNext = true;
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            helper.run(balancer::shutdown);
        }

        ResolvedEndpoints next(Lists lists) {
            if (delivery.equals("change")) {
                Endpoint replacement = chainOther;
                chainOther = chainLast;
                chainLast = replacement;
                chain = chain.with(List.of(chainOther), List.of(replacement));
                return new ResolvedEndpoints(chain, lists.config, Attributes.EMPTY);
            }
            ResolvedEndpoints next = changedNext ? lists.oneChanged : lists.all;
            changedNext = !changedNext;
            return next;
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

    /** The first update: a new balancer creates and starts a subchannel per endpoint (pick_first: one). */
    @Benchmark
    public Balancer firstUpdate(Lists lists, SubchannelWork work) {
        BenchmarkBalancerHelper helper = new BenchmarkBalancerHelper();
        Balancer balancer = lists.provider.newBalancer(helper);
        helper.accept(balancer, lists.all);
        work.add(helper.creations(), helper.shutdowns());
        helper.run(balancer::shutdown);
        work.expectPerUpdate(lists.firstCreations(), 0);
        return balancer;
    }

    /** The same endpoints with the last one replaced (and back, on the next call); neither connects. */
    @Benchmark
    public Balancer oneEndpointChanged(Lists lists, Warm warm, SubchannelWork work) {
        return update(lists, warm, work, false);
    }

    /** As {@link #oneEndpointChanged}, but the new endpoint connects: the READY set changes each time. */
    @Benchmark
    public Balancer oneEndpointChangedAndConnects(Lists lists, Warm warm, SubchannelWork work) {
        return update(lists, warm, work, true);
    }

    private static Balancer update(Lists lists, Warm warm, SubchannelWork work, boolean connect) {
        long created = warm.helper.creations();
        long shutDown = warm.helper.shutdowns();
        warm.helper.accept(warm.balancer, warm.next(lists));
        if (connect) {
            warm.helper.allReady();
        } else {
            warm.helper.forgetCreated();
        }
        work.add(warm.helper.creations() - created, warm.helper.shutdowns() - shutDown);
        work.expectPerUpdate(warm.churn, warm.churn);
        return warm.balancer;
    }
}
