package dev.lbchannel.balancer;

import io.grpc.ConnectivityStateInfo;

/** Hears a subchannel's state changes, on the channel's serializer. */
@FunctionalInterface
public interface SubchannelStateListener {

    /** The new state; TRANSIENT_FAILURE carries the connection error as its status. */
    void onStateChange(ConnectivityStateInfo state);
}
