package dev.lbchannel.resolver;

import dev.lbchannel.target.HostAndPort;
import dev.lbchannel.target.Target;
import io.grpc.Attributes;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The {@code static} scheme: {@code static:///10.0.0.7:50051,backend-b:50051,[::1]:50052} lists
 * the backends, one endpoint per entry, in the order written. An entry without a port uses the
 * channel's default port. IP literals need no lookup; a host name is looked up once, with the
 * system's resolver on the channel's offload executor, and all its addresses become that entry's endpoint's addresses. See
 * {@link StaticResolver} for what {@code refresh()} does. The channel's default authority is the
 * first entry as written: the whole list is no authority (a comma is not allowed in a port, and a
 * list of hundreds outgrows the server's header limit), and one entry stays put when backends are
 * added behind it. A later entry that names another host carries its own name as its endpoint's
 * {@link EndpointAttributes#AUTHORITY}, so its calls and TLS use that name; an IP literal names no
 * host a certificate or virtual host could answer to, and shares the channel's. Set the channel's
 * authority when the backends answer to one shared name: it wins over the entries'.
 *
 * <p>Immutable and thread-safe; creating a resolver validates the whole list and starts no work.
 */
public final class StaticResolverProvider implements ResolverProvider {

    public static final String SCHEME = "static";

    private final HostLookup hostLookup;

    public StaticResolverProvider() {
        this(HostLookup.SYSTEM);
    }

    /** With another lookup than the system's; tests see through it where lookups run. */
    StaticResolverProvider(HostLookup hostLookup) {
        this.hostLookup = requireNonNull(hostLookup, "hostLookup");
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String defaultAuthority(Target target) {
        String list = target.endpoint();
        int comma = list.indexOf(',');
        return (comma < 0 ? list : list.substring(0, comma)).strip();
    }

    /**
     * @throws IllegalArgumentException naming the target and the entry when the list is empty, an
     *     entry is malformed, or the target has an authority
     */
    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        requireNonNull(target, "target");
        requireNonNull(args, "args");
        String authority = target.authority();
        if (authority != null && !authority.isEmpty()) {
            throw invalid(target, "a static target has no authority; write static:///host:port,host:port");
        }
        if (target.endpoint().isBlank()) {
            throw invalid(target, "list at least one host:port, like static:///10.0.0.7:50051,10.0.0.8:50051");
        }
        List<StaticResolver.Entry> entries = new ArrayList<>();
        String[] parts = target.endpoint().split(",", -1);
        String first = parts[0].strip();
        for (int i = 0; i < parts.length; i++) {
            entries.add(entry(target, parts[i].strip(), i + 1, args.defaultPort(), first));
        }
        return new StaticResolver(target.toString(), entries, args.offloadExecutor(), hostLookup);
    }

    private static StaticResolver.Entry entry(Target target, String text, int number, int defaultPort,
            String first) {
        if (text.isEmpty()) {
            throw invalid(target, "entry " + number + " is empty");
        }
        HostAndPort hostAndPort;
        try {
            hostAndPort = HostAndPort.parse(text, defaultPort);
        } catch (IllegalArgumentException e) {
            throw invalid(target, "entry " + number + ": " + e.getMessage());
        }
        String host = hostAndPort.host();
        if (hostAndPort.isIpLiteral()) {
            InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
            if (literal == null) {
                throw invalid(target, "entry " + number + " '" + text + "': '" + host + "' is not a valid IP address");
            }
            return new StaticResolver.Entry(hostAndPort, literal, Attributes.EMPTY);
        }
        if (!HostNames.isValid(host)) {
            throw invalid(target, "entry " + number + " '" + text + "': '" + host + "' is not a valid host name");
        }
        // The first entry is the channel's default authority already; the others name their own.
        Attributes attributes = text.equals(first) ? Attributes.EMPTY
                : Attributes.newBuilder().set(EndpointAttributes.AUTHORITY, text).build();
        return new StaticResolver.Entry(hostAndPort, null, attributes);
    }

    private static IllegalArgumentException invalid(Target target, String why) {
        return new IllegalArgumentException("Invalid target '" + target + "': " + why);
    }
}
