package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.base.BaseBalancer;
import io.grpc.Status;

import java.util.function.IntUnaryOperator;

/**
 * gRFC A48's {@code least_request}: round_robin's subchannel management and aggregate state (the
 * {@link BaseBalancer}: a health-checked subchannel per distinct endpoint, kept connected; READY
 * if any is, a failed one counted failed until READY again), with counted subchannels and a
 * {@link LeastRequestPicker}. An endpoint listed twice gets one subchannel and no extra weight,
 * as A48 says. Runs on the serializer.
 */
final class LeastRequestBalancer implements Balancer {

    private final BaseBalancer base;
    private int choiceCount = LeastRequestConfig.DEFAULT.choiceCount();

    LeastRequestBalancer(BalancerHelper helper, IntUnaryOperator random) {
        this.base = new BaseBalancer(new OutstandingCallsHelper(helper),
                ready -> new LeastRequestPicker(ready, choiceCount, random));
    }

    /** A resolution without a config block (the policy named by {@code loadBalancingPolicy}) takes A48's defaults. */
    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        int next = resolved.config() instanceof LeastRequestConfig config ? config.choiceCount()
                : LeastRequestConfig.DEFAULT.choiceCount();
        boolean changed = next != choiceCount;
        choiceCount = next;
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
