package dev.lbchannel;

import dev.lbchannel.balancer.SubchannelStateListener;
import dev.lbchannel.channelz.ChannelTrace;
import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.health.HealthWatcher;
import dev.lbchannel.orca.OrcaOobWatcher;
import dev.lbchannel.transport.ClientTransport;
import io.grpc.ConnectivityState;
import org.jspecify.annotations.Nullable;

import java.util.function.Supplier;

/**
 * The streams a subchannel keeps open on its own connection for its policy: client-side health
 * checking (gRFC A17), when the policy asked for it, and out-of-band load reports (gRFC A51), made
 * when a policy first subscribes. Both follow the subchannel's connection: they start when it is
 * READY, move to a replacement connection, and end when the subchannel shuts down, since an open
 * stream would keep a draining connection alive.
 *
 * <p>Confined to the channel's serializer, like the {@link DefaultSubchannel} that owns it.
 */
final class ConnectionStreams {

    private final DefaultSubchannel subchannel;
    private final SubchannelContext context;
    private final Supplier<@Nullable ClientTransport> readyTransport;
    private final @Nullable HealthWatcher health;
    private @Nullable OrcaOobWatcher orca;

    /**
     * @param healthServiceName the service config's health-check service name now, used only
     *     when {@code healthChecked}
     */
    ConnectionStreams(DefaultSubchannel subchannel, SubchannelContext context, boolean healthChecked,
            @Nullable String healthServiceName, Supplier<@Nullable ClientTransport> readyTransport, ChannelTrace trace) {
        this.subchannel = subchannel;
        this.context = context;
        this.readyTransport = readyTransport;
        this.health = healthChecked ? new HealthWatcher(subchannel, healthServiceName, context.serializer(),
                context.scheduler(), context.backoffPolicy(), readyTransport, trace) : null;
    }

    /** Where the subchannel reports its states: to the policy, through the health check if there is one. */
    SubchannelStateListener start(SubchannelStateListener policy) {
        if (health == null) {
            return policy;
        }
        health.start(policy);
        return health;   // the balancer hears the health-checked states
    }

    /** The service config's health-check service name changed; {@code null} for none. */
    void healthServiceName(@Nullable String serviceName) {
        if (health != null) {
            health.serviceName(serviceName);
        }
    }

    /** The out-of-band load reports, made on first use; {@code state} is the subchannel's now. */
    OrcaOobWatcher orca(ConnectivityState state) {
        if (orca == null) {
            orca = new OrcaOobWatcher(subchannel, context.serializer(), context.scheduler(), context.backoffPolicy(),
                    readyTransport);
            orca.onConnectionState(state);
        }
        return orca;
    }

    /** The subchannel's connection state changed (not to SHUTDOWN: see {@link #shutdown()}). */
    void connectionState(ConnectivityState state) {
        if (orca != null) {
            orca.onConnectionState(state);
        }
    }

    /** A replacement connection took over: the streams move to it, so the old one can drain. */
    void connectionReplaced() {
        if (health != null) {
            health.connectionReplaced();
        }
        if (orca != null) {
            orca.connectionReplaced();
        }
    }

    void shutdown() {
        if (health != null) {
            health.shutdown();
        }
        if (orca != null) {
            orca.shutdown();
        }
    }

    SubchannelHealth health() {
        return health == null ? SubchannelHealth.NOT_CHECKED : health.health();
    }
}
