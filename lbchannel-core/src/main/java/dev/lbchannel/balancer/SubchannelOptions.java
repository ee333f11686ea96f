package dev.lbchannel.balancer;

/**
 * How a balancer wants a subchannel made, for
 * {@link BalancerHelper#createSubchannel(dev.lbchannel.resolver.Endpoint, SubchannelOptions)}.
 *
 * @param healthChecked whether the subchannel runs client-side health checks (gRFC A17) when the
 *     channel's service config names a {@code healthCheckConfig.serviceName}: it then reports
 *     READY only while the backend answers SERVING on a {@code grpc.health.v1.Health/Watch}
 *     stream over its connection, and TRANSIENT_FAILURE (connection kept) while it does not. A
 *     policy that picks among many backends, such as {@code round_robin}, asks for it; one that
 *     sticks to a single connection, such as {@code pick_first}, does not, as in gRPC.
 */
public record SubchannelOptions(boolean healthChecked) {

    /** A plain subchannel: its listener hears its connection's states. */
    public static final SubchannelOptions DEFAULT = new SubchannelOptions(false);

    /** A subchannel health-checked whenever the service config asks for it. */
    public static final SubchannelOptions HEALTH_CHECKED = new SubchannelOptions(true);
}
