package dev.lbchannel.balancer.peakewma;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.base.BaseBalancer;
import io.grpc.Status;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * {@code peak_ewma}: round_robin's subchannel management and aggregate state (the
 * {@link BaseBalancer}: a health-checked subchannel per distinct endpoint, kept connected; READY
 * if any is), with {@link EwmaSubchannel}s and a {@link PeakEwmaPicker}. A new config reaches the
 * subchannels at once (through the shared reference they read) and the picker by a rebuild. Runs
 * on the serializer.
 */
final class PeakEwmaBalancer implements Balancer {

    private final AtomicReference<PeakEwmaConfig> config = new AtomicReference<>(PeakEwmaConfig.DEFAULT);
    private final BaseBalancer base;

    PeakEwmaBalancer(BalancerHelper helper, IntUnaryOperator random, LongSupplier clock) {
        SampleClock samples = new SampleClock(clock);
        this.base = new BaseBalancer(new EwmaSubchannelHelper(helper, samples, config),
                ready -> new PeakEwmaPicker(ready, config.get(), random, samples));
    }

    /** A resolution without a config block (the policy named by {@code loadBalancingPolicy}) takes the defaults. */
    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        PeakEwmaConfig next = resolved.config() instanceof PeakEwmaConfig c ? c : PeakEwmaConfig.DEFAULT;
        boolean changed = !next.equals(config.getAndSet(next));
        Status status = base.acceptResolvedEndpoints(resolved);
        if (changed) {
            base.rebuildPicker();
        }
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
        base.shutdown();
    }
}
