package dev.lbchannel;

import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The subchannels a channel has made and not yet seen terminate: created for its balancers, told
 * of the service config's health-check service name, ended at once by {@code shutdownNow}, and
 * shown in snapshots. A channel terminates only once this is empty.
 *
 * <p>Confined to the channel's serializer, except {@link #snapshots()}, which reads a copy kept in
 * a volatile field.
 */
final class ChannelSubchannels {

    private final ConnectionAuthority authority;
    private final SubchannelContext context;
    private final Set<DefaultSubchannel> subchannels = new LinkedHashSet<>();
    private volatile List<DefaultSubchannel> view = List.of();
    /** The current service config's health-check service name. */
    private @Nullable String healthServiceName;

    /** @param authorityOverridden whether the builder set {@code authority}, which then wins over an endpoint's own */
    ChannelSubchannels(String authority, boolean authorityOverridden, SubchannelContext context) {
        this.authority = new ConnectionAuthority(authority, authorityOverridden);
        this.context = context;
    }

    DefaultSubchannel create(Endpoint endpoint, SubchannelOptions options) {
        DefaultSubchannel subchannel = new DefaultSubchannel(endpoint, authority, context, options, healthServiceName);
        subchannels.add(subchannel);
        view = List.copyOf(subchannels);
        return subchannel;
    }

    /**
     * The chosen service config's {@code healthCheckConfig.serviceName} ({@code null} for none),
     * before its balancer hears of the resolution; health-checked subchannels follow it.
     */
    void healthServiceName(@Nullable String serviceName) {
        if (!Objects.equals(serviceName, healthServiceName)) {
            healthServiceName = serviceName;
            for (DefaultSubchannel subchannel : subchannels) {
                subchannel.healthServiceName(serviceName);
            }
        }
    }

    /** {@code subchannel} terminated: it leaves the channel. */
    void terminated(DefaultSubchannel subchannel) {
        subchannels.remove(subchannel);
        view = List.copyOf(subchannels);
    }

    boolean isEmpty() {
        return subchannels.isEmpty();
    }

    /** Does {@code action} to each subchannel; it may shut them down (it runs over a copy). */
    void forEach(Consumer<DefaultSubchannel> action) {
        List.copyOf(subchannels).forEach(action);
    }

    /** Fails every call on every connection; for {@code shutdownNow}. */
    void shutdownNow(Status status) {
        forEach(subchannel -> subchannel.shutdownNow(status));
    }

    /** Each subchannel as channelz shows it. Any thread. */
    List<SubchannelSnapshot> snapshots() {
        return view.stream().map(DefaultSubchannel::snapshot).toList();
    }
}
