package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.base.BaseBalancer;
import dev.lbchannel.balancer.slowstart.SlowStartHelper;
import dev.lbchannel.serializer.Serializer;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * gRFC A58's {@code weighted_round_robin}: round_robin's subchannel management and aggregate state
 * (the {@link BaseBalancer}: a health-checked subchannel per distinct endpoint, kept connected),
 * with {@link WeightedSubchannel}s fed by ORCA load reports, and a picker whose static-stride
 * scheduler is rebuilt from their weights whenever the READY set changes and every
 * {@code weightUpdatePeriod}, on a timer that hops into the serializer. Each rebuild is reported
 * to the channel for gRFC A78's counters. Under slow start, a ramping endpoint's weight is
 * multiplied by its factor at each rebuild. Runs on the serializer.
 */
final class WeightedRoundRobinBalancer implements Balancer {

    private final BalancerHelper helper;
    private final LongSupplier clock;
    private final SlowStartHelper slowStart;
    private final BaseBalancer base;
    /** The live subchannels, to reconfigure on a new config. */
    private final Set<WeightedSubchannel> subchannels = new LinkedHashSet<>();
    /** Shared by successive schedulers, from a random start so clients do not move in step. */
    private final AtomicInteger sequence = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private WeightedRoundRobinConfig config = WeightedRoundRobinConfig.DEFAULT;
    private WeightFormula formula = WeightFormula.DEFAULT;
    private Serializer.@Nullable ScheduledHandle updateTimer;
    private boolean shutdown;

    WeightedRoundRobinBalancer(BalancerHelper helper, LongSupplier clock) {
        this.helper = helper;
        this.clock = clock;
        // No ticks of its own: the picker is rebuilt every weightUpdatePeriod anyway.
        this.slowStart = new SlowStartHelper(helper, clock, null);
        this.base = new BaseBalancer(new WeightedSubchannelHelper(slowStart, clock, subchannels,
                s -> s.configure(config, formula)), this::newPicker);
    }

    /** A resolution without a config block (the policy named by {@code loadBalancingPolicy}) takes A58's defaults. */
    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        helper.serializer().assertInContext();
        WeightedRoundRobinConfig next = resolved.config() instanceof WeightedRoundRobinConfig c ? c
                : WeightedRoundRobinConfig.DEFAULT;
        boolean periodChanged = !next.weightUpdatePeriod().equals(config.weightUpdatePeriod());
        // An unchanged config (the usual update: endpoints only) costs nothing per subchannel.
        boolean configChanged = !next.equals(config);
        if (configChanged) {
            config = next;
            formula = WeightFormula.of(next);
            for (WeightedSubchannel subchannel : List.copyOf(subchannels)) {
                subchannel.configure(config, formula);
            }
        }
        slowStart.configure(next.slowStart());
        Status status = base.acceptResolvedEndpoints(resolved);
        slowStart.resolved();
        if (configChanged) {
            base.rebuildPicker(); // A58: a new config makes a new picker; a new READY set made one already
        }
        if (updateTimer == null || periodChanged) {
            scheduleUpdate();
        }
        return status;
    }

    /** The base balancer's picker builder: the READY subchannels, weighted as of now. */
    private Picker newPicker(List<Subchannel> ready) {
        long now = clock.getAsLong();
        PickResult[] results = new PickResult[ready.size()];
        float[] weights = new float[ready.size()];
        int notYetUsable = 0;
        int stale = 0;
        for (int i = 0; i < results.length; i++) {
            WeightedSubchannel subchannel = (WeightedSubchannel) ready.get(i);
            results[i] = subchannel.result();
            switch (subchannel.weight().usable(now, config)) {
                case NOT_YET_USABLE -> notYetUsable++;
                case STALE -> stale++;
                case USABLE -> { }
            }
            weights[i] = (float) subchannel.weight().inUse();
        }
        rampUp(weights, slowStart.factors(ready));
        StaticStrideScheduler scheduler = new StaticStrideScheduler(weights, sequence);
        helper.weightUpdateReporter().weightsUpdated(notYetUsable, stale, scheduler.isRoundRobin());
        return new WeightedRoundRobinPicker(results, scheduler);
    }

    /**
     * Multiplies each weight by its slow-start factor; an endpoint without a weight yet (which the
     * scheduler would give the mean) gets the mean times its factor.
     */
    private static void rampUp(float[] weights, float @Nullable [] factors) {
        if (factors == null) {
            return;
        }
        double sum = 0;
        int weighted = 0;
        for (float w : weights) {
            if (w > 0) {
                sum += w;
                weighted++;
            }
        }
        float mean = weighted == 0 ? 1 : (float) (sum / weighted);
        for (int i = 0; i < weights.length; i++) {
            if (factors[i] < 1 || !(weights[i] > 0)) {
                weights[i] = (weights[i] > 0 ? weights[i] : mean) * factors[i];
            }
        }
    }

    private void scheduleUpdate() {
        if (updateTimer != null) {
            updateTimer.cancel();
        }
        updateTimer = helper.serializer().schedule(this::onUpdateTimer, config.weightUpdatePeriod().toNanos(),
                TimeUnit.NANOSECONDS, helper.scheduler());
    }

    private void onUpdateTimer() {
        updateTimer = null;
        if (shutdown) {
            return;
        }
        base.rebuildPicker();
        scheduleUpdate();
    }

    @Override
    public void handleResolutionError(Status error) {
        base.handleResolutionError(error);
    }

    @Override
    public void requestConnection() {
        base.requestConnection();
    }

    @Override
    public void shutdown() {
        shutdown = true;
        slowStart.shutdown();
        if (updateTimer != null) {
            updateTimer.cancel();
            updateTimer = null;
        }
        base.shutdown();
        subchannels.clear();
    }
}
