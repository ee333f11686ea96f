package dev.lbchannel.balancer;

/**
 * Where a weighted policy ({@code weighted_round_robin}, gRFC A58) tells the channel about each
 * update of its endpoint weights, for channelz and gRFC A78's {@code grpc.lb.wrr.*} meters. Get it
 * from {@link BalancerHelper#weightUpdateReporter()}; call it on the serializer.
 */
public interface WeightUpdateReporter {

    /** Reports nothing: for helpers of channels that keep no channelz. */
    WeightUpdateReporter NONE = (notYetUsable, stale, roundRobinFallback) -> { };

    /**
     * The weights were read into a new scheduler.
     *
     * @param notYetUsable endpoints without a usable weight yet: no report, or in the blackout period
     * @param stale endpoints whose last weight is older than the expiration period
     * @param roundRobinFallback whether fewer than two endpoints had a weight, so the policy
     *     picks as round_robin until the next update
     */
    void weightsUpdated(int notYetUsable, int stale, boolean roundRobinFallback);
}
