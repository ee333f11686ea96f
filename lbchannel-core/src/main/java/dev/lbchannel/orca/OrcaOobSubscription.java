package dev.lbchannel.orca;

/**
 * One listener's interest in a subchannel's out-of-band load reports, from
 * {@link dev.lbchannel.balancer.BalancerHelper#watchOrcaReports}. Cancel it on the channel's
 * serializer; the listener then hears nothing more, and the stream closes once no listener is
 * left.
 */
@FunctionalInterface
public interface OrcaOobSubscription {

    /** Stops the reports to this listener; cancelling again does nothing. */
    void cancel();
}
