package dev.lbchannel;

import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Changes the channel's policy without failing an RPC (the seed's "TODO: load balance policy
 * runtime change is ignored"): the new balancer gets the endpoints and builds its subchannels
 * while the old one keeps serving; the new one takes over once it is READY, or at once if the
 * old one leaves READY. Runs on the serializer.
 */
final class GracefulSwitch {

    private static final Picker CONNECTING = args -> PickResult.withNoResult();

    private final LbChannel channel;
    private @Nullable BalancerBridge current;
    private ConnectivityState currentState = ConnectivityState.CONNECTING;
    private @Nullable BalancerBridge pending;
    private ConnectivityState pendingState = ConnectivityState.CONNECTING;
    private Picker pendingPicker = CONNECTING;

    GracefulSwitch(LbChannel channel) {
        this.channel = channel;
    }

    /** The policy new resolutions go to: the pending one during a switch, else the current one. */
    @Nullable String policyName() {
        BalancerBridge target = pending != null ? pending : current;
        return target == null ? null : target.policyName();
    }

    /** Makes {@code provider}'s policy the one resolutions go to, starting a switch if it is new. */
    void switchTo(BalancerProvider provider) {
        String name = provider.policyName();
        if (pending != null && pending.policyName().equals(name)) {
            return;
        }
        if (current != null && current.policyName().equals(name)) {
            if (pending != null) {     // switched back before the new policy took over
                pending.shutdown();
                pending = null;
            }
            return;
        }
        BalancerBridge created = new BalancerBridge(channel, this, provider);
        channel.trace().info("Load-balancing policy " + name + " created");
        if (current == null) {
            current = created;
            currentState = ConnectivityState.CONNECTING;
            channel.policyInUse(name);
        } else {
            if (pending != null) {
                pending.shutdown();
            }
            pending = created;
            pendingState = ConnectivityState.CONNECTING;
            pendingPicker = CONNECTING;
        }
    }

    Status accept(ResolvedEndpoints resolved) {
        BalancerBridge target = pending != null ? pending : current;
        return target == null ? Status.OK : target.acceptResolvedEndpoints(resolved);
    }

    void handleResolutionError(Status error) {
        if (pending != null) {
            pending.handleResolutionError(error);
        }
        if (current != null) {
            current.handleResolutionError(error);
        }
    }

    void requestConnection() {
        if (current != null) {
            current.requestConnection();
        }
        if (pending != null) {
            pending.requestConnection();
        }
    }

    /** A balancer published a state and picker; decides whether the channel sees it. */
    void onBalancerState(BalancerBridge source, ConnectivityState state, Picker picker) {
        if (source == pending) {
            pendingState = state;
            pendingPicker = picker;
            if (state == ConnectivityState.READY || currentState != ConnectivityState.READY) {
                promotePending();
            }
        } else if (source == current) {
            currentState = state;
            if (pending != null && state != ConnectivityState.READY) {
                promotePending();
            } else {
                channel.updateBalancingState(state, picker);
            }
        }
    }

    private void promotePending() {
        BalancerBridge next = pending;
        if (next == null) {
            return;
        }
        if (current != null) {
            current.shutdown();
        }
        current = next;
        currentState = pendingState;
        channel.policyInUse(next.policyName());
        pending = null;
        channel.trace().info("Load-balancing policy " + next.policyName() + " took over");
        channel.updateBalancingState(pendingState, pendingPicker);
        pendingPicker = CONNECTING;
    }

    void shutdown() {
        if (pending != null) {
            pending.shutdown();
            pending = null;
        }
        if (current != null) {
            current.shutdown();
            current = null;
        }
    }
}
