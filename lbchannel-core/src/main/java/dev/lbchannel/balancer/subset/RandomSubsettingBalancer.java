package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.ForwardingBalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * gRFC A68's {@code random_subsetting}: on every resolution it keeps the {@link RendezvousSubset}
 * of the endpoints for this balancer's seed, drawn once when the balancer is made, and passes it
 * with the resolver's attributes and the child's config to the child, which does all the rest
 * (subchannels, states, pickers) through the channel's helper. A change of child policy replaces
 * the child at once; a replaced child's late states are dropped. Runs on the serializer.
 */
final class RandomSubsettingBalancer implements Balancer {

    private final BalancerHelper helper;
    private final long seed;
    private @Nullable Balancer child;
    private @Nullable BalancerProvider childPolicy;
    private @Nullable ChildHelper childHelper;

    RandomSubsettingBalancer(BalancerHelper helper, long seed) {
        this.helper = helper;
        this.seed = seed;
    }

    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        helper.serializer().assertInContext();
        if (!(resolved.config() instanceof RandomSubsettingConfig config)) {
            Status error = Status.UNAVAILABLE.withDescription("random_subsetting needs its config block, with a"
                    + " subsetSize and a childPolicy; set it in the service config's loadBalancingConfig");
            helper.updateState(ConnectivityState.TRANSIENT_FAILURE, args -> PickResult.withError(error));
            return error;
        }
        return childFor(config).acceptResolvedEndpoints(new ResolvedEndpoints(
                RendezvousSubset.select(resolved.endpoints(), config.subsetSize(), seed),
                config.childConfig(), resolved.attributes()));
    }

    private Balancer childFor(RandomSubsettingConfig config) {
        if (child != null && childPolicy != null
                && config.childPolicy().policyName().equals(childPolicy.policyName())) {
            return child; // same policy, by name as the channel's own switch compares them
        }
        if (child != null) {
            child.shutdown();
        }
        childPolicy = config.childPolicy();
        childHelper = new ChildHelper();
        child = childPolicy.newBalancer(childHelper);
        return child;
    }

    @Override
    public void handleResolutionError(Status error) {
        if (child != null) {
            child.handleResolutionError(error);
        } else {
            helper.updateState(ConnectivityState.TRANSIENT_FAILURE, args -> PickResult.withError(error));
        }
    }

    @Override
    public void requestConnection() {
        if (child != null) {
            child.requestConnection();
        }
    }

    @Override
    public void shutdown() {
        childHelper = null;
        if (child != null) {
            child.shutdown();
            child = null;
        }
    }

    /** The channel's helper, but a replaced (or shut down) child's states go nowhere. */
    private final class ChildHelper extends ForwardingBalancerHelper {

        @Override
        protected BalancerHelper delegate() {
            return helper;
        }

        @Override
        public void updateState(ConnectivityState state, Picker picker) {
            if (childHelper == this) {
                helper.updateState(state, picker);
            }
        }
    }
}
