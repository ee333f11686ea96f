package dev.lbchannel.demo.resolver;

import dev.lbchannel.demo.backend.Backends;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;

import static java.util.Objects.requireNonNull;

/**
 * Resolves {@code demo:///greeter} to the demo's backends. Declared as a bean, it is registered
 * under its scheme for the application's channels, which is all it takes to add a resolver (or,
 * under a built-in's scheme such as {@code dns}, to swap one).
 *
 * <p>It reports every backend, running or not, as a real service registry would report the
 * instances it knows: telling a stopped backend from a live one is the balancer's job, and
 * watching it do that is the point of the demo. Immutable and thread-safe.
 */
public final class DemoResolverProvider implements ResolverProvider {

    /** The scheme of the demo's targets. */
    public static final String SCHEME = "demo";

    /** The one name this resolver knows. */
    public static final String SERVICE = "greeter";

    private final Backends backends;

    public DemoResolverProvider(Backends backends) {
        this.backends = requireNonNull(backends, "backends");
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** @throws IllegalArgumentException unless the target is {@code demo:///greeter} */
    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        requireNonNull(target, "target");
        String authority = target.authority();
        if (authority != null && !authority.isEmpty()) {
            throw invalid(target, "the demo resolver has no authority");
        }
        String endpoint = target.endpoint().startsWith("/") ? target.endpoint().substring(1) : target.endpoint();
        if (!SERVICE.equals(endpoint)) {
            throw invalid(target, "the demo resolver knows only '" + SERVICE + "'");
        }
        return new DemoResolver(backends);
    }

    @Override
    public String defaultAuthority(Target target) {
        return SERVICE;
    }

    private static IllegalArgumentException invalid(Target target, String why) {
        return new IllegalArgumentException("Invalid target '" + target + "': " + why
                + "; write " + SCHEME + ":///" + SERVICE);
    }
}
