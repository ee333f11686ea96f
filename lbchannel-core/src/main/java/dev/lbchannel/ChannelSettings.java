package dev.lbchannel;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.transport.ClientTransportFactory;
import io.grpc.ClientInterceptor;
import io.grpc.CompressorRegistry;
import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Everything {@link LbChannelBuilder#build()} settled, handed to the channel in one piece.
 *
 * @param target the target the channel was built for; {@link LbChannel#updateTarget} may change it
 * @param resolvers the resolvers by scheme, for a later target
 * @param authorityOverridden whether {@code authority} was set on the builder rather than derived
 *     from the target: only then may a new target derive another
 * @param defaultPolicy the policy when no service config names one, as built; it may be updated
 * @param defaultServiceConfig the default service config as built; it may be updated
 * @param ownedEventLoopGroup the shared group this channel must release when it terminates, or
 *     {@code null} when the builder was given a group it does not own
 * @param executor the call executor: where callbacks run when a call names none
 * @param ownedExecutor the shared callback pool this channel must release when it terminates (then
 *     also its {@code executor}), or {@code null} when the builder was given an executor
 * @param maxConnectionAgeNanos how long a connection serves before it is replaced, or 0 for ever
 * @param offloadExecutor where resolvers and transports run blocking work; the shared offload
 *     pool, which this channel releases when it terminates, and never the call executor
 */
record ChannelSettings(
        ChannelTarget target,
        ResolverRegistry resolvers,
        int defaultPort,
        String authority,
        boolean authorityOverridden,
        BalancerRegistry balancers,
        String defaultPolicy,
        @Nullable ServiceConfig defaultServiceConfig,
        ClientTransportFactory transportFactory,
        @Nullable EventLoopGroup ownedEventLoopGroup,
        Executor executor,
        @Nullable ExecutorService ownedExecutor,
        ExecutorService offloadExecutor,
        CompressorRegistry compressorRegistry,
        List<ClientInterceptor> interceptors,
        long idleTimeoutNanos,
        long maxConnectionAgeNanos,
        BackoffPolicy backoffPolicy,
        RetryLimits retryLimits) {

    /** Gives back what the channel borrowed from the JVM-wide pools; called once, when it terminates. */
    void releaseShared() {
        releaseShared(ownedEventLoopGroup, ownedExecutor, offloadExecutor);
    }

    /** Gives back what a channel borrowed; also for a build that fails after borrowing. */
    static void releaseShared(@Nullable EventLoopGroup eventLoopGroup, @Nullable ExecutorService executor,
            ExecutorService offloadExecutor) {
        if (eventLoopGroup != null) {
            SharedEventLoopGroup.release(eventLoopGroup);
        }
        if (executor != null) {
            SharedExecutor.release(executor);
        }
        SharedOffloadExecutor.release(offloadExecutor);
    }
}
