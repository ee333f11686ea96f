package dev.lbchannel;

import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.serializer.Serializer;
import org.jspecify.annotations.Nullable;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Changes a running channel's target or defaults in place, behind {@link LbChannel#updateTarget}
 * and {@link LbChannel#updateDefaultServiceConfig}: the new value is checked on the caller's
 * thread, so that a bad one throws and changes nothing, and applied on the serializer, where the
 * resolver and the balancers live. Updates apply in the order they were made; once the channel
 * is shut down they are ignored. Thread-safe.
 */
final class ChannelUpdates {

    private final LbChannel channel;
    private final ChannelSettings settings;
    private final ServiceConfigSelector configs;
    private final ChannelLifecycle lifecycle;
    private final Serializer serializer;
    private volatile ChannelTarget target;

    ChannelUpdates(LbChannel channel, ChannelSettings settings, ServiceConfigSelector configs,
            ChannelLifecycle lifecycle) {
        this.channel = channel;
        this.settings = settings;
        this.configs = configs;
        this.lifecycle = lifecycle;
        this.serializer = channel.serializer();
        this.target = settings.target();
    }

    /** The target the channel resolves now, or will when it leaves idle. */
    ChannelTarget target() {
        return target;
    }

    /**
     * @throws IllegalArgumentException for an unusable target, or one whose scheme would derive
     *     another authority than the channel's
     */
    void updateTarget(String text) {
        requireNonNull(text, "target");
        ChannelTarget next = ChannelTarget.resolve(text, settings.resolvers(), settings.defaultPort(),
                settings.transportFactory().options().eventLoopGroup(), settings.offloadExecutor());
        String authority = next.defaultAuthority();
        // Connections carry the authority (and, with TLS, verify it); those open must stay valid.
        if (!settings.authorityOverridden() && !authority.equals(settings.authority())) {
            throw new IllegalArgumentException("Target '" + text + "' would change the channel's authority from '"
                    + settings.authority() + "' to '" + authority + "', which a running channel cannot do;"
                    + " build a new channel for it, or build the channel with overrideAuthority");
        }
        serializer.execute(() -> {
            ChannelTarget previous = target;
            if (lifecycle.isShutdown() || previous.text().equals(text)) {
                return;
            }
            target = next;
            channel.trace().info("Target changed from " + previous.text() + " to " + text
                    + "; a new resolver takes over");
            lifecycle.targetChanged(next);
        });
    }

    /**
     * @throws IllegalArgumentException for an invalid service config or an unknown policy; the
     *     message names the field or the policy
     */
    void updateDefaultServiceConfig(@Nullable Map<String, ?> serviceConfig, String defaultPolicy) {
        requireNonNull(defaultPolicy, "defaultLoadBalancingPolicy");
        settings.balancers().require(defaultPolicy);
        ServiceConfig parsed = serviceConfig == null ? null : ServiceConfig.parse(serviceConfig, settings.balancers());
        serializer.execute(() -> {
            if (!lifecycle.isShutdown()) {
                configs.updateDefaults(parsed, defaultPolicy);
                lifecycle.defaultsChanged();
            }
        });
    }
}
