package dev.lbchannel.resolver;

import dev.lbchannel.target.Target;

import java.net.UnixDomainSocketAddress;

/**
 * The {@code unix} scheme of gRPC's naming doc: {@code unix:path} (relative or absolute) and
 * {@code unix:///absolute/path} name a Unix domain socket. One endpoint, no service config; calls
 * carry {@code localhost} as their authority unless the channel overrides it, as in gRPC. The
 * connection runs on native epoll where it loads, else on the JDK's own Unix domain sockets.
 */
public final class UnixResolverProvider implements ResolverProvider {

    public static final String SCHEME = "unix";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        return new FixedEndpointResolver(Endpoint.of(UnixDomainSocketAddress.of(path(target))));
    }

    @Override
    public String defaultAuthority(Target target) {
        return "localhost";
    }

    /** The socket's path: as written for {@code unix:path}, with its leading slash for {@code unix:///path}. */
    static String path(Target target) {
        String authority = target.authority();
        if (authority != null && !authority.isEmpty()) {
            throw new IllegalArgumentException("Invalid target '" + target + "': a unix target has no authority; "
                    + "write unix:///absolute/path or unix:relative/path");
        }
        String path = authority == null ? target.endpoint() : "/" + target.endpoint();
        if (path.isEmpty() || path.equals("/")) {
            throw new IllegalArgumentException("Invalid target '" + target + "': the socket's path is missing; "
                    + "write unix:///absolute/path or unix:relative/path");
        }
        return path;
    }
}
