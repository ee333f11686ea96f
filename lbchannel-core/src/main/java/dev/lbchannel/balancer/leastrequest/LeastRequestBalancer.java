package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.base.BaseBalancer;
import dev.lbchannel.balancer.slowstart.SlowStartHelper;
import io.grpc.Status;

import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * gRFC A48's {@code least_request}: round_robin's subchannel management and aggregate state (the
 * {@link BaseBalancer}: a health-checked subchannel per distinct endpoint, kept connected; READY
 * if any is, a failed one counted failed until READY again), with counted subchannels and a
 * {@link LeastRequestPicker}, which weighs endpoints ramping up under slow start by their factors
 * (the slow-start helper rebuilds it as the ramp goes on). An endpoint listed twice gets one subchannel and no extra weight,
 * as A48 says. Runs on the serializer.
 */
final class LeastRequestBalancer implements Balancer {

    private final SlowStartHelper slowStart;
    private final BaseBalancer base;
    private int choiceCount = LeastRequestConfig.DEFAULT.choiceCount();

    LeastRequestBalancer(BalancerHelper helper, IntUnaryOperator random, LongSupplier clock) {
        BaseBalancer[] self = new BaseBalancer[1];
        this.slowStart = new SlowStartHelper(helper, clock, () -> self[0].rebuildPicker());
        this.base = new BaseBalancer(new OutstandingCallsHelper(slowStart),
                ready -> new LeastRequestPicker(ready, choiceCount, random, slowStart.factors(ready)));
        self[0] = base;
    }

    /** A resolution without a config block (the policy named by {@code loadBalancingPolicy}) takes A48's defaults. */
    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        LeastRequestConfig config = resolved.config() instanceof LeastRequestConfig c ? c
                : LeastRequestConfig.DEFAULT;
        boolean changed = config.choiceCount() != choiceCount;
        choiceCount = config.choiceCount();
        slowStart.configure(config.slowStart());
        Status status = base.acceptResolvedEndpoints(resolved);
        slowStart.resolved();
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
        slowStart.shutdown();
        base.shutdown();
    }
}
