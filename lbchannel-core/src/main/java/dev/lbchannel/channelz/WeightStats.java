package dev.lbchannel.channelz;

/**
 * What a weighted policy ({@code weighted_round_robin}, gRFC A58) did on a channel so far: the
 * counts behind gRFC A78's {@code grpc.lb.wrr.*} counters. Each scheduler update adds one to
 * {@code updates}, one to {@code rrFallbacks} when fewer than two endpoints had a weight, and
 * counts the endpoints whose weight was not yet usable or stale. Immutable.
 *
 * @param updates scheduler updates (the number of {@code grpc.lb.wrr.endpoint_weights} recordings rounds)
 * @param rrFallbacks {@code grpc.lb.wrr.rr_fallback}
 * @param notYetUsable {@code grpc.lb.wrr.endpoint_weight_not_yet_usable}
 * @param stale {@code grpc.lb.wrr.endpoint_weight_stale}
 */
public record WeightStats(long updates, long rrFallbacks, long notYetUsable, long stale) {

    /** A channel whose policy never weighed its endpoints. */
    public static final WeightStats NONE = new WeightStats(0, 0, 0, 0);
}
