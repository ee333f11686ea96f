package dev.lbchannel.balancer.pickfirst;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * One subchannel over every resolved address, in order ({@link MergedAddresses}). After a full
 * pass fails it stays in TRANSIENT_FAILURE (sticky, gRFC A62) until a connection succeeds, asking
 * for re-resolution; when its READY connection is lost it goes IDLE and re-resolves. Runs on the
 * serializer.
 */
final class PickFirstBalancer implements Balancer {

    private final BalancerHelper helper;
    private final MergedAddresses merged = new MergedAddresses();
    private @Nullable Subchannel subchannel;
    private ConnectivityState state = ConnectivityState.IDLE;

    PickFirstBalancer(BalancerHelper helper) {
        this.helper = helper;
    }

    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        helper.serializer().assertInContext();
        boolean shuffle = resolved.config() instanceof PickFirstConfig config && config.shuffleAddressList();
        Endpoint endpoint = merged.merge(resolved.endpoints(), shuffle);
        if (endpoint == null) {
            Status error = Status.UNAVAILABLE.withDescription("The resolver returned no addresses");
            handleResolutionError(error);
            return error;
        }
        if (subchannel == null) {
            Subchannel created = helper.createSubchannel(endpoint);
            subchannel = created;
            created.start(info -> onSubchannelState(created, info));
            update(ConnectivityState.CONNECTING, PickResult.withNoResult());
            created.requestConnection();
        } else {
            subchannel.updateEndpoint(endpoint);
        }
        return Status.OK;
    }

    private void onSubchannelState(Subchannel source, ConnectivityStateInfo info) {
        if (source != subchannel) {
            return;
        }
        switch (info.getState()) {
            case READY -> update(ConnectivityState.READY, PickResult.withSubchannel(source));
            case CONNECTING -> onConnecting();
            case IDLE -> onIdle(source);
            case TRANSIENT_FAILURE -> onFailure(info.getStatus());
            case SHUTDOWN -> { }
        }
    }

    private void onConnecting() {
        // Sticky TRANSIENT_FAILURE: reconnect attempts do not hide the failure from RPCs.
        if (state != ConnectivityState.TRANSIENT_FAILURE) {
            update(ConnectivityState.CONNECTING, PickResult.withNoResult());
        }
    }

    private void onIdle(Subchannel source) {
        helper.refreshNameResolution();
        helper.updateState(ConnectivityState.IDLE, new RequestConnectionPicker(helper, source));
        state = ConnectivityState.IDLE;
    }

    private void onFailure(Status error) {
        helper.refreshNameResolution();
        update(ConnectivityState.TRANSIENT_FAILURE, PickResult.withError(error));
    }

    private void update(ConnectivityState newState, PickResult result) {
        state = newState;
        helper.updateState(newState, args -> result);
    }

    @Override
    public void handleResolutionError(Status error) {
        if (subchannel != null && state != ConnectivityState.TRANSIENT_FAILURE) {
            return; // keep serving from the addresses we have
        }
        update(ConnectivityState.TRANSIENT_FAILURE, PickResult.withError(error));
    }

    @Override
    public void requestConnection() {
        if (subchannel != null) {
            subchannel.requestConnection();
        }
    }

    @Override
    public void shutdown() {
        if (subchannel != null) {
            subchannel.shutdown();
            subchannel = null;
        }
    }

    /** While IDLE, the first pick starts a connection and the RPC waits for the next picker. */
    private record RequestConnectionPicker(BalancerHelper helper, Subchannel subchannel) implements Picker {
        @Override
        public PickResult pick(dev.lbchannel.balancer.PickArgs args) {
            helper.serializer().execute(subchannel::requestConnection);
            return PickResult.withNoResult();
        }
    }
}
