package dev.lbchannel.samples.balancer;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.base.BaseBalancer;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * The {@code preferred_subnets} balancer: lbchannel's base balancer (a subchannel per endpoint,
 * each kept connected) with a {@link PreferredSubnetsPicker}. Runs on the channel's serializer,
 * so it needs no locks.
 *
 * <p>The base balancer rebuilds its picker only when the READY set changes, so a new subnet list
 * gets a fresh base balancer: its subchannels reconnect and the old ones drain. Subnet lists
 * change with deployments, not per call, so that cost is paid rarely.
 */
final class PreferredSubnetsBalancer implements Balancer {

    private final BalancerHelper helper;
    private @Nullable PreferredSubnetsConfig config;
    private @Nullable BaseBalancer delegate;

    PreferredSubnetsBalancer(BalancerHelper helper) {
        this.helper = helper;
    }

    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        PreferredSubnetsConfig next = resolved.config() instanceof PreferredSubnetsConfig given
                ? given : PreferredSubnetsConfig.NONE;
        BaseBalancer current = delegate;
        if (current == null || !next.equals(config)) {
            if (current != null) {
                current.shutdown();
            }
            config = next;
            current = new BaseBalancer(helper, ready -> new PreferredSubnetsPicker(ready, next));
            delegate = current;
        }
        return current.acceptResolvedEndpoints(resolved);
    }

    @Override
    public void handleResolutionError(Status error) {
        if (delegate != null) {
            delegate.handleResolutionError(error);
        } else {
            // Nothing resolved yet: let a base balancer publish the failure.
            BaseBalancer created = new BaseBalancer(helper, ready -> new PreferredSubnetsPicker(ready,
                    PreferredSubnetsConfig.NONE));
            delegate = created;
            created.handleResolutionError(error);
        }
    }

    @Override
    public void requestConnection() {
        if (delegate != null) {
            delegate.requestConnection();
        }
    }

    @Override
    public void shutdown() {
        if (delegate != null) {
            delegate.shutdown();
        }
    }
}
