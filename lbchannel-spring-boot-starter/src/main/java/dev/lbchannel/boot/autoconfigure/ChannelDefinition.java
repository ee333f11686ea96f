package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The effective settings of one channel: {@code lbchannel.defaults.*} merged field by field
 * under {@code lbchannel.channels.<name>.*}, the channel's value winning wherever it sets one.
 * The service config is the exception: a channel that sets {@code service-config} or
 * {@code service-config-json} replaces the default one whole. Every value remembers the property
 * it came from. Immutable.
 */
final class ChannelDefinition {

    private final String name;
    private final String prefix;
    private final ChannelProperties channel;
    private final ChannelProperties defaults;
    private final @Nullable ServiceConfigSource serviceConfig;

    private ChannelDefinition(String name, ChannelProperties channel, ChannelProperties defaults) {
        this.name = name;
        this.prefix = PropertyNames.channel(name);
        this.channel = channel;
        this.defaults = defaults;
        this.serviceConfig = serviceConfig(channel, prefix) != null ? serviceConfig(channel, prefix)
                : serviceConfig(defaults, PropertyNames.DEFAULTS);
    }

    /**
     * Merges {@code defaults} into {@code channel}.
     *
     * @throws LbChannelConfigurationException when one level sets both service-config and
     *     service-config-json, or plaintext and an SSL bundle
     */
    static ChannelDefinition merge(String name, ChannelProperties channel, ChannelProperties defaults) {
        ChannelDefinition definition = new ChannelDefinition(name, channel, defaults);
        checkTlsChoice(channel, definition.prefix);
        checkTlsChoice(defaults, PropertyNames.DEFAULTS);
        return definition;
    }

    String name() {
        return name;
    }

    /** The property of a leaf on this channel, {@code lbchannel.channels.orders.<leaf>}. */
    String property(String leaf) {
        return prefix + "." + leaf;
    }

    boolean enabled() {
        return pick("enabled", ChannelProperties::getEnabled).orElse(true);
    }

    Setting<String> target() {
        return pick("target", ChannelProperties::getTarget);
    }

    boolean plaintext() {
        return pick("plaintext", ChannelProperties::getPlaintext).orElse(false);
    }

    Setting<String> sslBundle() {
        return pick("ssl.bundle", p -> p.getSsl().getBundle());
    }

    Setting<String> authority() {
        return pick("authority", ChannelProperties::getAuthority);
    }

    Setting<String> userAgent() {
        return pick("user-agent", ChannelProperties::getUserAgent);
    }

    Setting<Duration> deadline() {
        return pick("default.deadline", p -> p.getDefault().getDeadline());
    }

    Setting<String> loadBalancingPolicy() {
        return pick("default.load-balancing-policy", p -> p.getDefault().getLoadBalancingPolicy());
    }

    Setting<Duration> idleTimeout() {
        return pick("idle.timeout", p -> p.getIdle().getTimeout());
    }

    Setting<Duration> maxConnectionAge() {
        return pick("max-connection-age", ChannelProperties::getMaxConnectionAge);
    }

    Setting<Duration> keepaliveTime() {
        return pick("keepalive.time", p -> p.getKeepalive().getTime());
    }

    Setting<Duration> keepaliveTimeout() {
        return pick("keepalive.timeout", p -> p.getKeepalive().getTimeout());
    }

    Setting<Boolean> keepaliveWithoutCalls() {
        return pick("keepalive.without-calls", p -> p.getKeepalive().getWithoutCalls());
    }

    Setting<DataSize> inboundMessageMaxSize() {
        return pick("inbound.message.max-size", p -> p.getInbound().getMessage().getMaxSize());
    }

    Setting<DataSize> inboundMetadataMaxSize() {
        return pick("inbound.metadata.max-size", p -> p.getInbound().getMetadata().getMaxSize());
    }

    Setting<Boolean> retryEnabled() {
        return pick("retry.enabled", p -> p.getRetry().getEnabled());
    }

    Setting<Integer> retryMaxAttempts() {
        return pick("retry.max-attempts", p -> p.getRetry().getMaxAttempts());
    }

    Setting<DataSize> retryBufferSize() {
        return pick("retry.buffer-size", p -> p.getRetry().getBufferSize());
    }

    Setting<DataSize> retryPerRpcBufferLimit() {
        return pick("retry.per-rpc-buffer-limit", p -> p.getRetry().getPerRpcBufferLimit());
    }

    Setting<List<String>> interceptors() {
        return pick("interceptors", ChannelProperties::getInterceptors);
    }

    boolean connectOnStartup() {
        return pick("connect-on-startup", ChannelProperties::getConnectOnStartup).orElse(false);
    }

    /**
     * The effective values of every setting a built channel cannot change, wherever each came from:
     * two definitions with equal lists build channels that differ at most in target, policy and
     * service config, which a running channel can take in place.
     */
    List<@Nullable Object> fixedSettings() {
        return Arrays.asList(plaintext(), sslBundle().value(), authority().value(), userAgent().value(),
                deadline().value(), idleTimeout().value(), maxConnectionAge().value(), keepaliveTime().value(), keepaliveTimeout().value(),
                keepaliveWithoutCalls().value(), inboundMessageMaxSize().value(), inboundMetadataMaxSize().value(),
                retryEnabled().value(), retryMaxAttempts().value(), retryBufferSize().value(),
                retryPerRpcBufferLimit().value(), interceptors().value());
    }

    /** The service config the channel or, failing that, the defaults set; {@code null} for none. */
    @Nullable ServiceConfigSource serviceConfig() {
        return serviceConfig;
    }

    private <T> Setting<T> pick(String leaf, Function<ChannelProperties, @Nullable T> getter) {
        T own = getter.apply(channel);
        if (own != null) {
            return new Setting<>(own, property(leaf));
        }
        T inherited = getter.apply(defaults);
        return inherited != null ? new Setting<>(inherited, PropertyNames.DEFAULTS + "." + leaf)
                : new Setting<>(null, property(leaf));
    }

    private static @Nullable ServiceConfigSource serviceConfig(ChannelProperties properties, String prefix) {
        Map<String, Object> yaml = properties.getServiceConfig();
        String json = properties.getServiceConfigJson();
        if (yaml != null && json != null) {
            throw new LbChannelConfigurationException(prefix + ".service-config-json", json,
                    "Both " + prefix + ".service-config and " + prefix + ".service-config-json are set",
                    "Set the service config once: either as YAML under " + prefix + ".service-config or as JSON in "
                            + prefix + ".service-config-json.");
        }
        if (yaml != null) {
            return ServiceConfigSource.yaml(yaml, prefix + ".service-config");
        }
        return json != null ? ServiceConfigSource.json(json, prefix + ".service-config-json") : null;
    }

    private static void checkTlsChoice(ChannelProperties properties, String prefix) {
        String bundle = properties.getSsl().getBundle();
        if (Boolean.TRUE.equals(properties.getPlaintext()) && bundle != null) {
            throw new LbChannelConfigurationException(prefix + ".ssl.bundle", bundle,
                    prefix + ".plaintext is true, so the SSL bundle would be ignored",
                    "Remove " + prefix + ".ssl.bundle for a plaintext channel, or set " + prefix
                            + ".plaintext to false to use TLS with the bundle.");
        }
    }
}
