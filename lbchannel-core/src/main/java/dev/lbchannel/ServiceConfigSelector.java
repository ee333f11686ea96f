package dev.lbchannel;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.channelz.ChannelTrace;
import dev.lbchannel.config.LbPolicySelection;
import dev.lbchannel.config.RetryThrottling;
import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.resolver.ResolutionResult;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Chooses the service config after each resolution, as gRFC A21 says: the resolver's config when
 * it is valid; when it is missing, the default; when it is invalid, the last good one, else the
 * default, else none (the channel then fails RPCs until a good one arrives). It also holds the
 * policy for a config that names none. Both defaults may be replaced at runtime
 * ({@link LbChannel#updateDefaultServiceConfig}). Runs on the serializer; {@link #current()} may be
 * read from any thread.
 */
final class ServiceConfigSelector {

    private static final Logger logger = Logger.getLogger(ServiceConfigSelector.class.getName());

    private final BalancerRegistry balancers;
    private final ChannelTrace trace;
    private @Nullable ServiceConfig defaultConfig;
    private String defaultPolicy;
    private @Nullable ServiceConfig lastGood;
    /** Whether {@link #current} is the default, which a new default then replaces. */
    private boolean usingDefault = true;
    private volatile ServiceConfig current;
    /** The retry throttle of {@link #current}'s {@code retryThrottling}; kept while that stays the same. */
    private volatile @Nullable RetryThrottle throttle;

    ServiceConfigSelector(@Nullable ServiceConfig defaultConfig, String defaultPolicy, BalancerRegistry balancers,
            ChannelTrace trace) {
        this.defaultConfig = defaultConfig;
        this.defaultPolicy = defaultPolicy;
        this.balancers = balancers;
        this.trace = trace;
        this.current = defaultConfig != null ? defaultConfig : ServiceConfig.empty();
        this.throttle = throttleFor(current, null);
        if (defaultConfig != null) {
            warnOfUnperformedFields(defaultConfig);
        }
    }

    /** The config calls use now: the default one until a resolution says otherwise. */
    ServiceConfig current() {
        return current;
    }

    /** The policy of {@code config}: the one it names, else the default policy. */
    String policyName(ServiceConfig config) {
        LbPolicySelection named = config.lbPolicy();
        return named != null ? named.policyName() : defaultPolicy;
    }

    /**
     * Replaces the default config and policy; a current config that was the default becomes the
     * new one at once. The caller then hands the last resolution to {@link #select} again, so that
     * a config the resolver gave still wins.
     */
    void updateDefaults(@Nullable ServiceConfig config, String policy) {
        if (!policy.equals(defaultPolicy)) {
            trace.info("Default load-balancing policy changed from " + defaultPolicy + " to " + policy);
            defaultPolicy = policy;
        }
        if (!Objects.equals(config, defaultConfig)) {
            trace.info(config == null ? "Default service config removed" : "Default service config updated");
            defaultConfig = config;
            if (config != null) {
                warnOfUnperformedFields(config);
            }
            if (usingDefault) {
                use(config != null ? config : ServiceConfig.empty(), true);
            }
        }
    }

    /** The channel's retry throttle under the current config, or {@code null} when it has none. */
    @Nullable RetryThrottle throttle() {
        return throttle;
    }

    /**
     * Picks the config for {@code result}.
     *
     * @return the config to use, or an error status when no usable config exists
     */
    Selection select(ResolutionResult result) {
        ServiceConfig chosen;
        if (result.serviceConfig() != null) {
            try {
                chosen = ServiceConfig.parse(result.serviceConfig(), balancers);
                lastGood = chosen;
            } catch (IllegalArgumentException e) {
                return fallBack(e.getMessage());
            }
        } else if (result.serviceConfigError() != null) {
            Status error = result.serviceConfigError();
            return fallBack(error.getCode() + " " + error.getDescription());
        } else {
            return use(defaultConfig != null ? defaultConfig : ServiceConfig.empty(), true);
        }
        return use(chosen, false);
    }

    private Selection fallBack(@Nullable String problem) {
        ServiceConfig fallback = lastGood != null ? lastGood : defaultConfig;
        String kept = lastGood != null ? "keeping the last good one" : defaultConfig != null ? "using the default" : "no config to fall back on";
        trace.warning("Resolver's service config rejected (" + problem + "); " + kept);
        if (fallback == null) {
            return new Selection(null, Status.UNAVAILABLE.withDescription(
                    "The resolver's service config is invalid and the channel has no previous or default config: "
                            + problem));
        }
        return use(fallback, lastGood == null);
    }

    private Selection use(ServiceConfig chosen, boolean isDefault) {
        usingDefault = isDefault;
        if (!chosen.equals(current)) {
            trace.info("Service config changed");
            warnOfUnperformedFields(chosen);
        }
        throttle = throttleFor(chosen, throttle);
        current = chosen;
        return new Selection(chosen, Status.OK);
    }

    /** A6 throttles per server name: the tokens carry over while the throttling config stays the same. */
    private static @Nullable RetryThrottle throttleFor(ServiceConfig config, @Nullable RetryThrottle previous) {
        RetryThrottling throttling = config.retryThrottling();
        if (throttling == null) {
            return null;
        }
        return previous != null && previous.config().equals(throttling) ? previous : new RetryThrottle(throttling);
    }

    private void warnOfUnperformedFields(ServiceConfig config) {
        List<String> unperformed = config.unperformedFields();
        if (!unperformed.isEmpty()) {
            String warning = "Service config fields accepted but not acted on by this version of lbchannel: "
                    + String.join(", ", unperformed);
            trace.warning(warning);
            logger.warning(warning);
        }
    }

    /** A chosen config, or the error that left the channel without one. */
    record Selection(@Nullable ServiceConfig config, Status status) {
    }
}
