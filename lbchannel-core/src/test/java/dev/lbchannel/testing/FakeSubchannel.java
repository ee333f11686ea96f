package dev.lbchannel.testing;

import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelStateListener;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityStateInfo;

/** A subchannel a balancer unit test drives: it records requests and the test reports states. */
public final class FakeSubchannel implements Subchannel {

    private final FakeBalancerHelper helper;
    private Endpoint endpoint;
    private SubchannelStateListener listener;
    private int connectRequests;
    private boolean shutdown;

    FakeSubchannel(FakeBalancerHelper helper, Endpoint endpoint) {
        this.helper = helper;
        this.endpoint = endpoint;
    }

    /** Reports a state to the balancer, from inside the serializer. */
    public void report(ConnectivityStateInfo state) {
        helper.serializer().execute(() -> listener.onStateChange(state));
    }

    public int connectRequests() {
        return connectRequests;
    }

    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public void start(SubchannelStateListener stateListener) {
        helper.serializer().assertInContext();
        listener = stateListener;
    }

    @Override
    public void requestConnection() {
        helper.serializer().assertInContext();
        connectRequests++;
    }

    @Override
    public void updateEndpoint(Endpoint newEndpoint) {
        helper.serializer().assertInContext();
        endpoint = newEndpoint;
    }

    @Override
    public void shutdown() {
        helper.serializer().assertInContext();
        shutdown = true;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public String toString() {
        return "FakeSubchannel" + endpoint;
    }
}
