package dev.lbchannel;

import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.config.LbPolicySelection;
import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import io.grpc.ConnectivityState;
import io.grpc.Status;

/**
 * The channel's working half while it is not idle: one resolver (through its bridge) feeding
 * service config selection and the balancers (through the graceful switch). Created when the
 * channel leaves idle, shut down when it enters idle or shuts down. A new target gets a new
 * resolver while the balancers stay, so subchannels of endpoints the new resolver reports again
 * keep their connections. Runs on the serializer.
 */
final class NameResolution {

    private final LbChannel channel;
    private final ChannelSettings settings;
    private final ServiceConfigSelector configs;
    private final GracefulSwitch balancers;
    private ResolverBridge resolver;
    private boolean resolvedOnce;
    private int lastEndpointCount = -1;

    NameResolution(LbChannel channel, ChannelSettings settings, ServiceConfigSelector configs) {
        this.channel = channel;
        this.settings = settings;
        this.configs = configs;
        this.balancers = new GracefulSwitch(channel);
        this.resolver = bridge(channel.currentTarget());
    }

    private ResolverBridge bridge(ChannelTarget target) {
        Resolver created = target.provider().newResolver(target.target(),
                new ResolverArgs(settings.defaultPort(), channel.scheduler(), settings.offloadExecutor(),
                        settings.transportFactory().options().eventLoopGroup(), channel.serializer()));
        channel.resolution().resolverStarted(created);
        return new ResolverBridge(created, channel.serializer(), channel.scheduler(),
                settings.backoffPolicy(), this::onResult, this::onError);
    }

    void start() {
        resolver.start();
    }

    void refresh() {
        resolver.refresh();
    }

    void resetBackoff() {
        resolver.resetBackoff();
    }

    /**
     * Resolves {@code target} from now on: the old resolver stops and a new one starts. The
     * balancers keep what they have until the new resolver reports.
     */
    void replaceResolver(ChannelTarget target) {
        ResolverBridge next = bridge(target);
        resolver.shutdown();
        resolver = next;
        next.start();
    }

    /** The defaults changed: the last result goes through config selection and the balancers again. */
    void reapplyLastResult() {
        resolver.redeliverLast();
    }

    void requestConnection() {
        balancers.requestConnection();
    }

    void shutdown() {
        resolver.shutdown();
        balancers.shutdown();
    }

    private Status onResult(ResolutionResult result) {
        channel.resolution().resolved(result.endpoints().size());
        traceEndpointCount(result.endpoints().size());
        ServiceConfigSelector.Selection selection = configs.select(result);
        ServiceConfig config = selection.config();
        if (config == null) {
            failIfNeverResolved(selection.status());
            return selection.status();
        }
        channel.subchannels().healthServiceName(config.healthCheckServiceName());
        LbPolicySelection policy = config.lbPolicy();
        BalancerProvider provider = settings.balancers().require(
                configs.policyName(config));
        Object lbConfig = policy != null ? policy.config() : null;
        balancers.switchTo(provider);
        Status accepted = balancers.accept(new ResolvedEndpoints(result.endpoints(), lbConfig, result.attributes()));
        resolvedOnce |= accepted.isOk();
        return accepted;
    }

    private void onError(Status error) {
        channel.resolution().failed(error);
        channel.trace().warning("Resolution failed: " + error.getCode()
                + (error.getDescription() == null ? "" : " " + error.getDescription()));
        if (resolvedOnce) {
            balancers.handleResolutionError(error);   // the balancers keep what they have
        } else {
            failIfNeverResolved(error);
        }
    }

    /** With no good resolution yet, fail-fast RPCs fail with {@code error}; wait-for-ready ones wait. */
    private void failIfNeverResolved(Status error) {
        if (!resolvedOnce) {
            PickResult failure = PickResult.withError(error);
            channel.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE, args -> failure);
        }
    }

    private void traceEndpointCount(int count) {
        if (count == 0 && lastEndpointCount != 0) {
            channel.trace().warning("Resolver returned no endpoints");
        } else if (count > 0 && lastEndpointCount <= 0) {
            channel.trace().info("Resolver returned " + count + " endpoint" + (count == 1 ? "" : "s"));
        }
        lastEndpointCount = count;
    }
}
