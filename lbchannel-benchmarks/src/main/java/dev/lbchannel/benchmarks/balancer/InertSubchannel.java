package dev.lbchannel.benchmarks.balancer;

import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelStateListener;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import org.jspecify.annotations.Nullable;

/**
 * A subchannel that never connects anything: it keeps its listener so a benchmark can report it
 * READY, and counts nothing itself ({@link BenchmarkBalancerHelper} counts creations and
 * shutdowns). Called on the helper's serializer only.
 */
final class InertSubchannel implements Subchannel {

    private static final ConnectivityStateInfo READY = ConnectivityStateInfo.forNonError(ConnectivityState.READY);

    private final BenchmarkBalancerHelper helper;
    private Endpoint endpoint;
    private @Nullable SubchannelStateListener listener;

    InertSubchannel(BenchmarkBalancerHelper helper, Endpoint endpoint) {
        this.helper = helper;
        this.endpoint = endpoint;
    }

    /** Tells the balancer this subchannel is READY; call inside the serializer. */
    void reportReady() {
        if (listener != null) {
            listener.onStateChange(READY);
        }
    }

    @Override
    public void start(SubchannelStateListener stateListener) {
        listener = stateListener;
    }

    @Override
    public void requestConnection() {
    }

    @Override
    public void updateEndpoint(Endpoint newEndpoint) {
        endpoint = newEndpoint;
    }

    @Override
    public void shutdown() {
        listener = null;
        helper.countShutdown();
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }
}
