package dev.lbchannel;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;
import dev.lbchannel.transport.ClientTransportFactory;
import io.grpc.ClientInterceptor;
import io.grpc.CompressorRegistry;
import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * Everything {@link LbChannelBuilder#build()} settled, handed to the channel in one piece.
 *
 * @param ownedEventLoopGroup the shared group this channel must release when it terminates, or
 *     {@code null} when the builder was given a group it does not own
 */
record ChannelSettings(
        String targetText,
        Target target,
        ResolverProvider resolverProvider,
        int defaultPort,
        String authority,
        BalancerRegistry balancers,
        String defaultPolicy,
        @Nullable ServiceConfig defaultServiceConfig,
        ClientTransportFactory transportFactory,
        @Nullable EventLoopGroup ownedEventLoopGroup,
        Executor executor,
        CompressorRegistry compressorRegistry,
        List<ClientInterceptor> interceptors,
        long idleTimeoutNanos,
        BackoffPolicy backoffPolicy,
        boolean retryEnabled) {

    /** Gives back what the channel borrowed from the JVM-wide pools; called once, when it terminates. */
    void releaseShared() {
        if (ownedEventLoopGroup != null) {
            SharedEventLoopGroup.release(ownedEventLoopGroup);
        }
    }
}
