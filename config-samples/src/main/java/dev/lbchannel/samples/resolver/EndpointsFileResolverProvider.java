package dev.lbchannel.samples.resolver;

import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;

import java.nio.file.Path;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The {@code file} scheme: {@code file:///etc/lbchannel/catalog.endpoints} resolves to the
 * endpoints listed in that file (format: {@link EndpointsFile}), which deployment tooling, a
 * config-management agent or a sidecar rewrites as backends come and go. Edits reach the channel
 * on the next poll, or at once when the channel asks for a refresh (after losing a backend, or
 * through channelz's {@code refreshResolution}).
 *
 * <p>The default authority is the file's name without its extension ({@code catalog}); set
 * {@code lbchannel.channels.<name>.authority} to the name the servers' certificates carry.
 *
 * <p>Immutable and thread-safe; creating a resolver checks the target and starts no work.
 */
public final class EndpointsFileResolverProvider implements ResolverProvider {

    public static final String SCHEME = "file";

    private final Duration pollInterval;

    /** @param pollInterval how often to re-read the file; zero reads it only when asked */
    public EndpointsFileResolverProvider(Duration pollInterval) {
        requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("pollInterval must not be negative, was " + pollInterval);
        }
        this.pollInterval = pollInterval;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** @throws IllegalArgumentException naming the target unless it is {@code file:///absolute/path} */
    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        return new EndpointsFileResolver(path(target), args.defaultPort(), pollInterval, args.scheduler(),
                args.offloadExecutor(), args.serializer());
    }

    @Override
    public String defaultAuthority(Target target) {
        String name = path(target).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static Path path(Target target) {
        String authority = target.authority();
        if (authority != null && !authority.isEmpty()) {
            throw invalid(target, "a file target names no host; write file:///absolute/path");
        }
        String endpoint = target.endpoint();
        // file:///etc/x parses to the endpoint "etc/x" (the path without its leading slash); file:/etc/x to "/etc/x".
        Path path = Path.of(endpoint.startsWith("/") ? endpoint : "/" + endpoint);
        if (path.getFileName() == null) {
            throw invalid(target, "name a file, like file:///etc/lbchannel/orders.endpoints");
        }
        return path;
    }

    private static IllegalArgumentException invalid(Target target, String why) {
        return new IllegalArgumentException("Invalid target '" + target + "': " + why);
    }
}
