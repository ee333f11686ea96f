package dev.lbchannel.resolver;

import dev.lbchannel.target.HostAndPort;
import dev.lbchannel.target.Target;

import java.util.List;

/**
 * The {@code passthrough} scheme: {@code passthrough:///host:port} hands the address to the
 * transport unchanged, which looks a host name up when it connects. One endpoint, no service
 * config, no re-resolution.
 */
public final class PassthroughResolverProvider implements ResolverProvider {

    public static final String SCHEME = "passthrough";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        HostAndPort hostAndPort = HostAndPort.parse(target.endpoint(), args.defaultPort());
        Endpoint endpoint = Endpoint.of(hostAndPort.toSocketAddress());
        return new Resolver() {
            @Override
            public void start(ResolverListener listener) {
                listener.onResult(ResolutionResult.of(List.of(endpoint)));
            }

            @Override
            public void shutdown() {
            }
        };
    }
}
