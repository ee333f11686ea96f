package dev.lbchannel.resolver;

import dev.lbchannel.target.HostAndPort;
import dev.lbchannel.target.Target;


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
        return new FixedEndpointResolver(Endpoint.of(hostAndPort.toSocketAddress()));
    }
}
