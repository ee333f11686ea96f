package dev.lbchannel.balancer.base;

import dev.lbchannel.balancer.Subchannel;
import io.grpc.ConnectivityState;

/**
 * One endpoint's subchannel in a {@link BaseBalancer}: the state it counts as, the bookkeeping an
 * update needs to find it without scanning, and where the last READY picker has it. Confined to
 * the balancer's serializer.
 */
final class BalancerChild {

    final Subchannel subchannel;
    ConnectivityState effective = ConnectivityState.IDLE;
    /** The last whole-list update that listed it. */
    int listedIn;
    /** How many times the current list names its addresses (a list may repeat an endpoint). */
    int listings = 1;
    /** Where it sits in its balancer's {@link ResolverOrder}. */
    int orderIndex;
    /** Its index in the last READY picker's list, or -1 when it is not in it. */
    int readyIndex = -1;
    boolean removed;

    BalancerChild(Subchannel subchannel) {
        this.subchannel = subchannel;
    }
}
