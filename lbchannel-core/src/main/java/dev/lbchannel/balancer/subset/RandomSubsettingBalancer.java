package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ChildBalancer;
import dev.lbchannel.balancer.ForwardingBalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import io.grpc.ConnectivityState;
import io.grpc.Status;

/**
 * gRFC A68's {@code random_subsetting}: on every resolution it keeps the {@link RendezvousSubset}
 * of the endpoints for this balancer's seed, drawn once when the balancer is made, and passes it
 * with the resolver's attributes and the child's config to the child, which does all the rest
 * (subchannels, states, pickers) through the channel's helper. An update costs a hash lookup
 * per endpoint and O(n log subsetSize) to select (each endpoint hashed once while it stays
 * listed), then the child's update over the subset; an endpoint change outside the subset leaves
 * the subset as it was (rendezvous hashing), so the child sees no change. A change of child policy replaces
 * the child at once; a replaced child's late states are dropped. Runs on the serializer.
 */
final class RandomSubsettingBalancer implements Balancer {

    private final BalancerHelper helper;
    private final RendezvousSubset subset;
    private final ChildBalancer child = new ChildBalancer();

    RandomSubsettingBalancer(BalancerHelper helper, long seed) {
        this.helper = helper;
        this.subset = new RendezvousSubset(seed);
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
                subset.select(resolved.endpoints(), config.subsetSize()),
                config.childConfig(), resolved.attributes()));
    }

    private Balancer childFor(RandomSubsettingConfig config) {
        return child.forPolicy(config.childPolicy(), ChildHelper::new);
    }

    @Override
    public void handleResolutionError(Status error) {
        child.handleResolutionError(error, helper);
    }

    @Override
    public void requestConnection() {
        child.requestConnection();
    }

    @Override
    public void shutdown() {
        child.shutdown();
    }

    /** The channel's helper, but a replaced (or shut down) child's states go nowhere. */
    private final class ChildHelper extends ForwardingBalancerHelper {

        @Override
        protected BalancerHelper delegate() {
            return helper;
        }

        @Override
        public void updateState(ConnectivityState state, Picker picker) {
            if (child.isCurrent(this)) {
                helper.updateState(state, picker);
            }
        }
    }
}
