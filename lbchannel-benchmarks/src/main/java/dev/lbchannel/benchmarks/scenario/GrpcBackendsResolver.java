package dev.lbchannel.benchmarks.scenario;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.SynchronizationContext;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * A grpc-java name resolver the harness drives, the counterpart of lbchannel's
 * {@code LbChannel.updateTarget}: {@link #update} reports a new backend list (one address per
 * loopback port) to the channel, so a backend can join mid-run. One instance per channel, passed
 * with {@code nameResolverFactory}; target {@code scenario:///backends}. grpc-java has no
 * resolver for a list of addresses, so the footprint harness's fan-out channel uses it too.
 * Thread-safe.
 */
public final class GrpcBackendsResolver extends NameResolverProvider {

    public static final String SCHEME = "scenario";

    private volatile List<Integer> ports;
    private volatile @Nullable Running running;

    public GrpcBackendsResolver(List<Integer> ports) {
        this.ports = List.copyOf(ports);
    }

    /** Reports {@code newPorts} to the channel, at once if it has started resolving, else when it does. */
    void update(List<Integer> newPorts) {
        ports = List.copyOf(newPorts);
        Running r = running;
        if (r != null) {
            r.context.execute(r::report);
        }
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        return SCHEME.equals(targetUri.getScheme()) ? new Running(args.getSynchronizationContext()) : null;
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }

    /** The channel's resolver; reports run on the channel's synchronization context, as grpc-java asks. */
    private final class Running extends NameResolver {
        private final SynchronizationContext context;
        private @Nullable Listener2 listener;

        Running(SynchronizationContext context) {
            this.context = context;
        }

        @Override
        public String getServiceAuthority() {
            return ScenarioChannel.AUTHORITY;
        }

        @Override
        public void start(Listener2 newListener) {
            listener = newListener;
            running = this;
            report();
        }

        void report() {
            Listener2 l = listener;
            if (l == null) {
                return;
            }
            List<EquivalentAddressGroup> groups = ports.stream()
                    .map(p -> new EquivalentAddressGroup(new InetSocketAddress("127.0.0.1", p))).toList();
            l.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
        }

        @Override
        public void shutdown() {
            listener = null;
            running = null;
        }
    }
}
