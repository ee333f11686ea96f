package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.boot.LbChannelBuilderCustomizer;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.target.Target;
import dev.lbchannel.transport.TransportKind;
import io.grpc.ClientInterceptor;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Builds one {@link LbChannel} from a {@link ChannelDefinition}: checks every setting against the
 * context's registries and SSL bundles first, so that a bad one fails start-up with a
 * {@link LbChannelConfigurationException} naming its property, then applies the properties, the
 * interceptors and the customizers, in that order. It also checks the settings a running channel
 * can take in place (target, policy, service config) for a refresh. Used at start-up and by the
 * refresh, one at a time.
 */
final class ChannelFactory {

    /** The policy when neither the YAML nor a service config names one: Spring Boot's. */
    static final String DEFAULT_POLICY = "round_robin";
    private static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MIN_MAX_CONNECTION_AGE = Duration.ofSeconds(1);
    private static final Duration MIN_KEEPALIVE_TIME = Duration.ofSeconds(10);

    private final ResolverRegistry resolvers;
    private final BalancerRegistry balancers;
    private final @Nullable SslBundles sslBundles;
    private final ChannelInterceptors interceptors;
    private final List<LbChannelBuilderCustomizer> customizers;
    private final @Nullable Executor executor;
    private final TransportKind transport;
    private final YamlOrigins written;

    ChannelFactory(ResolverRegistry resolvers, BalancerRegistry balancers, @Nullable SslBundles sslBundles,
            ChannelInterceptors interceptors, List<LbChannelBuilderCustomizer> customizers,
            @Nullable Executor executor, TransportKind transport, YamlOrigins written) {
        this.written = written;
        this.transport = transport;
        this.resolvers = resolvers;
        this.balancers = balancers;
        this.sslBundles = sslBundles;
        this.interceptors = interceptors;
        this.customizers = customizers;
        this.executor = executor;
    }

    /**
     * Builds the channel.
     *
     * @throws LbChannelConfigurationException naming the first property that cannot work
     */
    LbChannel create(ChannelDefinition channel) {
        String target = target(channel);
        LbChannelBuilder builder = LbChannelBuilder.forTarget(target);
        // The context's registries whole: adding provider by provider copied a map per provider per
        // channel, and made every built-in balancer whether a channel used it or not.
        builder.resolverRegistry(resolvers).balancerRegistry(balancers);
        applySecurity(channel, builder);
        apply(channel.authority(), builder::overrideAuthority);
        apply(channel.userAgent(), builder::userAgent);
        builder.defaultLoadBalancingPolicy(policy(channel));
        Map<String, ?> serviceConfig = serviceConfig(channel);
        if (serviceConfig != null) {
            builder.defaultServiceConfig(serviceConfig);
        }
        applyTimeouts(channel, builder);
        applySize(channel.inboundMessageMaxSize(), builder::maxInboundMessageSize);
        applySize(channel.inboundMetadataMaxSize(), builder::maxInboundMetadataSize);
        applyRetry(channel, builder);
        if (executor != null) {
            builder.executor(executor);
        }
        applyTransport(builder);
        applyInterceptors(channel, builder);
        for (LbChannelBuilderCustomizer customizer : customizers) {
            customizer.customize(channel.name(), builder);
        }
        LbChannel built;
        try {
            built = builder.build();
        } catch (IllegalArgumentException e) {
            Setting<String> setting = channel.target();
            throw new LbChannelConfigurationException(setting.property(), setting.value(), e.getMessage(),
                    "Set " + setting.property() + " to a usable target, " + TargetCheck.EXAMPLES
                            + " (or correct what an LbChannelBuilderCustomizer sets).", e);
        }
        Setting<String> bundle = channel.sslBundle();
        if (!channel.plaintext() && bundle.isSet() && sslBundles != null) {
            SslBundleRotation.register(channel.name(), bundle.value(), sslBundles, built);
        }
        return built;
    }

    /** Left to the builder's default for auto, so that a customizer may still give its own event loops. */
    private void applyTransport(LbChannelBuilder builder) {
        if (transport == TransportKind.AUTO) {
            return;
        }
        try {
            transport.io();
        } catch (IllegalStateException e) {
            String needs = transport == TransportKind.IO_URING ? "Netty's native io_uring jar for this platform "
                    + "(io.netty:netty-transport-native-io_uring) and a Linux kernel (5.14 or later) that allows io_uring"
                    : "Netty's native epoll jar for this platform (io.netty:netty-transport-native-epoll)";
            throw new LbChannelConfigurationException(PropertyNames.TRANSPORT, transport.configName(),
                    e.getMessage(), "Set " + PropertyNames.TRANSPORT + " to auto or nio; " + transport.configName()
                            + " needs " + needs + ".", e);
        }
        builder.transport(transport);
    }

    private void applySecurity(ChannelDefinition channel, LbChannelBuilder builder) {
        if (channel.plaintext()) {
            builder.usePlaintext();
            return;
        }
        builder.useTransportSecurity();
        Setting<String> bundle = channel.sslBundle();
        if (bundle.isSet()) {
            builder.sslContext(SslContextLookup.sslContext(bundle, sslBundles));
        }
    }

    /**
     * The channel's checked target.
     *
     * @throws LbChannelConfigurationException for a missing target or an unknown scheme
     */
    String target(ChannelDefinition channel) {
        return TargetCheck.check(channel.target(), resolvers);
    }

    /**
     * The authority a channel built from {@code channel} carries, unless a customizer overrides
     * it: the {@code authority} property, else the one the target's scheme derives.
     */
    String authority(ChannelDefinition channel) {
        String override = channel.authority().value();
        if (override != null) {
            return override;
        }
        Target parsed = resolvers.parseTarget(target(channel));
        return resolvers.providerFor(parsed).defaultAuthority(parsed);
    }

    /**
     * The channel's checked service config in gRPC's JSON shape, or {@code null} for none.
     *
     * @throws LbChannelConfigurationException naming the field that breaks gRPC's schema
     */
    @Nullable Map<String, ?> serviceConfig(ChannelDefinition channel) {
        ServiceConfigSource source = channel.serviceConfig();
        return source == null ? null : ServiceConfigErrors.resolve(source, balancers, written);
    }

    /**
     * The channel's default policy: the one it names, else Spring Boot's.
     *
     * @throws LbChannelConfigurationException for a policy no provider serves
     */
    String policy(ChannelDefinition channel) {
        Setting<String> policy = channel.loadBalancingPolicy();
        if (!policy.isSet()) {
            // Spring Boot's gRPC client balances by default; the core builder keeps gRPC's pick_first.
            return DEFAULT_POLICY;
        }
        if (balancers.get(policy.value()) == null) {
            throw new LbChannelConfigurationException(policy.property(), policy.value(),
                    "Unknown load-balancing policy '" + policy.value() + "'; registered policies: "
                            + String.join(", ", balancers.policyNames()),
                    "Set " + policy.property() + " to one of " + String.join(", ", balancers.policyNames())
                            + ", or declare a BalancerProvider bean whose policyName() is '" + policy.value() + "'.");
        }
        return policy.value();
    }

    private static void applyTimeouts(ChannelDefinition channel, LbChannelBuilder builder) {
        // The builder raises shorter values silently, as gRPC's builders do; from YAML they are a mistake to name.
        requireAtLeast(channel.idleTimeout(), MIN_IDLE_TIMEOUT, "1s",
                "a shorter idle timeout would drop and re-open connections between calls");
        requireAtLeast(channel.keepaliveTime(), MIN_KEEPALIVE_TIME, "10s",
                "servers answer more frequent pings with GOAWAY ENHANCE_YOUR_CALM, and gRPC never pings more often");
        requireAtLeast(channel.maxConnectionAge(), MIN_MAX_CONNECTION_AGE, "1s",
                "a shorter age would spend more on reconnecting than it gains in spreading calls");
        applyDuration(channel.idleTimeout(), nanos -> builder.idleTimeout(nanos, TimeUnit.NANOSECONDS));
        applyDuration(channel.maxConnectionAge(), nanos -> builder.maxConnectionAge(nanos, TimeUnit.NANOSECONDS));
        applyDuration(channel.keepaliveTime(), nanos -> builder.keepAliveTime(nanos, TimeUnit.NANOSECONDS));
        applyDuration(channel.keepaliveTimeout(), nanos -> builder.keepAliveTimeout(nanos, TimeUnit.NANOSECONDS));
        Setting<Boolean> withoutCalls = channel.keepaliveWithoutCalls();
        if (withoutCalls.isSet()) {
            builder.keepAliveWithoutCalls(withoutCalls.value());
        }
    }

    private void applyInterceptors(ChannelDefinition channel, LbChannelBuilder builder) {
        List<ClientInterceptor> chain = new ArrayList<>();
        Setting<Duration> deadline = channel.deadline();
        applyDuration(deadline, nanos -> chain.add(new DefaultDeadlineInterceptor(Duration.ofNanos(nanos))));
        // The builder runs the last interceptor given first; the first in @Order should run first.
        List<ClientInterceptor> ordered = new ArrayList<>(interceptors.forChannel(channel));
        Collections.reverse(ordered);
        chain.addAll(ordered);
        builder.intercept(chain);
    }

    private static void requireAtLeast(Setting<Duration> setting, Duration minimum, String shown, String why) {
        if (setting.isSet() && !setting.value().isNegative() && !setting.value().isZero() && setting.value().compareTo(minimum) < 0) {
            throw new LbChannelConfigurationException(setting.property(), shown(setting.value()),
                    "The duration is below the minimum of " + shown + ": " + why,
                    "Set " + setting.property() + " to " + shown + " or more (a bare number is seconds), or remove it"
                            + " to keep the default.");
        }
    }

    /** A duration as a user would write it in YAML: {@code 5s}, {@code 500ms}. */
    private static String shown(Duration value) {
        return DurationStyle.SIMPLE.print(value, value.toMillis() % 1000 == 0 ? ChronoUnit.SECONDS : ChronoUnit.MILLIS);
    }

    private static void apply(Setting<String> setting, Consumer<String> target) {
        if (setting.isSet()) {
            target.accept(setting.value());
        }
    }

    private static void applyDuration(Setting<Duration> setting, Consumer<Long> target) {
        if (!setting.isSet()) {
            return;
        }
        Duration value = setting.value();
        if (value.isNegative() || value.isZero()) {
            throw new LbChannelConfigurationException(setting.property(), value, "The duration must be positive",
                    "Set " + setting.property() + " to a positive duration, such as 30s.");
        }
        target.accept(saturatedNanos(value));
    }

    private static void applySize(Setting<DataSize> setting, Consumer<Integer> target) {
        if (!setting.isSet()) {
            return;
        }
        long bytes = setting.value().toBytes();
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw new LbChannelConfigurationException(setting.property(), setting.value(),
                    "The size must be from 1B to 2GB - 1B", "Set " + setting.property() + " to a size such as 4MB.");
        }
        target.accept((int) bytes);
    }

    private static void applyRetry(ChannelDefinition channel, LbChannelBuilder builder) {
        Setting<Boolean> enabled = channel.retryEnabled();
        if (enabled.isSet()) {
            if (enabled.value()) {
                builder.enableRetry();
            } else {
                builder.disableRetry();
            }
        }
        Setting<Integer> maxAttempts = channel.retryMaxAttempts();
        if (maxAttempts.isSet()) {
            int attempts = maxAttempts.value();
            if (attempts < 1) {
                throw new LbChannelConfigurationException(maxAttempts.property(), attempts,
                        "The most attempts must be at least 1, the first attempt included",
                        "Set " + maxAttempts.property() + " to 1 to allow no retries or hedges, or to a limit such as 5"
                                + " (policies above it are capped).");
            }
            builder.maxRetryAttempts(attempts).maxHedgedAttempts(attempts);
        }
        applyBytes(channel.retryBufferSize(), builder::retryBufferSize);
        applyBytes(channel.retryPerRpcBufferLimit(), builder::perRpcBufferLimit);
    }

    private static void applyBytes(Setting<DataSize> setting, LongConsumer target) {
        if (!setting.isSet()) {
            return;
        }
        long bytes = setting.value().toBytes();
        if (bytes <= 0) {
            throw new LbChannelConfigurationException(setting.property(), setting.value(), "The size must be positive",
                    "Set " + setting.property() + " to a size such as 1MB.");
        }
        target.accept(bytes);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Creates the enabled channels, in order; if one fails, shuts down those already built, so
     * the application never starts half-configured.
     */
    Map<String, LbChannel> createAll(Collection<ChannelDefinition> definitions) {
        Map<String, LbChannel> built = new LinkedHashMap<>();
        try {
            for (ChannelDefinition definition : definitions) {
                if (definition.enabled()) {
                    built.put(definition.name(), create(definition));
                }
            }
        } catch (RuntimeException e) {
            built.values().forEach(LbChannel::shutdownNow);
            throw e;
        }
        return built;
    }
}
