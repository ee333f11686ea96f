package dev.lbchannel.balancer.roundrobin;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.base.BaseBalancer;
import dev.lbchannel.balancer.slowstart.SlowStartHelper;
import dev.lbchannel.balancer.wrr.StaticStrideScheduler;
import io.grpc.Status;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * {@code round_robin}: the {@link BaseBalancer} with a {@link RoundRobinPicker}, and, while an
 * endpoint ramps up under slow start, a weighted picker instead, whose weights are the endpoints'
 * slow-start factors, spread by gRFC A58's {@link StaticStrideScheduler} (which keeps each weight
 * within a tenth and ten times the mean). The slow-start helper rebuilds the picker as the ramp
 * goes on and once more at its end, when the plain rotation comes back. Runs on the serializer.
 */
final class RoundRobinBalancer implements Balancer {

    private final SlowStartHelper slowStart;
    private final BaseBalancer base;
    /** Shared by successive weighted pickers so the rotation carries on across rebuilds. */
    private final AtomicInteger sequence = new AtomicInteger(ThreadLocalRandom.current().nextInt());

    RoundRobinBalancer(BalancerHelper helper, LongSupplier clock) {
        BaseBalancer[] self = new BaseBalancer[1];
        this.slowStart = new SlowStartHelper(helper, clock, () -> self[0].rebuildPicker());
        this.base = new BaseBalancer(slowStart, this::newPicker);
        self[0] = base;
    }

    private Picker newPicker(List<Subchannel> ready) {
        float[] factors = slowStart.factors(ready);
        return factors == null ? new RoundRobinPicker(ready)
                : new WeightedPicker(ready, new StaticStrideScheduler(factors, sequence));
    }

    /** A resolution without a config block (the policy named by {@code loadBalancingPolicy}) has no slow start. */
    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        slowStart.configure(resolved.config() instanceof RoundRobinConfig c ? c.slowStart() : null);
        Status status = base.acceptResolvedEndpoints(resolved);
        slowStart.resolved();
        return status;
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
        slowStart.shutdown();
        base.shutdown();
    }
}
