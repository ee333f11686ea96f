package dev.lbchannel.balancer.slowstart;

import dev.lbchannel.config.ConfigNumbers;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.JsonDuration;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A policy's {@code slowStartConfig} block, as Envoy's {@code SlowStartConfig}:
 * <pre>{@code "slowStartConfig": {"slowStartWindow": "30s", "aggression": 1.0, "minWeightPercent": 10}}</pre>
 * An endpoint that becomes READY when the policy is already warm gets, {@code t} after that, the
 * weight factor {@code max(minWeightPercent / 100, (t / slowStartWindow) ^ (1 / aggression))},
 * and its full weight from {@code slowStartWindow} on. Immutable.
 *
 * @param slowStartWindow  how long the ramp lasts; greater than zero
 * @param aggression       the curve's shape: 1 is linear, more ramps faster at first, less slower; greater than zero
 * @param minWeightPercent the smallest factor, in percent; from 0 to 100
 */
public record SlowStartConfig(Duration slowStartWindow, double aggression, double minWeightPercent) {

    /** The field that holds the block in each policy's config. */
    public static final String FIELD = "slowStartConfig";

    public SlowStartConfig {
        requireNonNull(slowStartWindow, "slowStartWindow");
        if (slowStartWindow.isZero() || slowStartWindow.isNegative()) {
            throw new IllegalArgumentException("slowStartWindow must be greater than 0s, was " + slowStartWindow);
        }
        if (!(aggression > 0) || Double.isInfinite(aggression)) {
            throw new IllegalArgumentException("aggression must be greater than 0, was " + aggression);
        }
        if (!(minWeightPercent >= 0 && minWeightPercent <= 100)) {
            throw new IllegalArgumentException("minWeightPercent must be from 0 to 100, was " + minWeightPercent);
        }
    }

    /**
     * The weight factor {@code elapsedNanos} after the endpoint became READY: from
     * {@code minWeightPercent / 100} up to 1, which it is from the window's end on.
     */
    public double factor(long elapsedNanos) {
        long window = slowStartWindow.toNanos();
        if (elapsedNanos >= window) {
            return 1;
        }
        double progress = Math.max(0, elapsedNanos) / (double) window;
        double curve = aggression == 1 ? progress : Math.pow(progress, 1 / aggression);
        return Math.max(minWeightPercent / 100, curve);
    }

    /**
     * Reads the {@code slowStartConfig} field of a policy's block: absent means no slow start.
     * {@code slowStartWindow} is required (a proto3 JSON duration such as {@code "30s"}),
     * {@code aggression} defaults to 1.0 and {@code minWeightPercent} to 10, as in Envoy; numbers
     * may come as JSON numbers or their decimal text (as YAML may bind them).
     *
     * @throws InvalidServiceConfigException naming {@code slowStartConfig.<field>}, the rule and the value
     */
    public static @Nullable SlowStartConfig parse(Map<String, ?> policyBlock) {
        Object block = policyBlock.get(FIELD);
        if (block == null) {
            return null;
        }
        if (!(block instanceof Map<?, ?> raw)) {
            throw invalid("", "must be an object with a slowStartWindow", block);
        }
        Object window = raw.get("slowStartWindow");
        if (window == null) {
            throw InvalidServiceConfigException.ofField(FIELD + ".slowStartWindow",
                    "is required: how long a new endpoint's ramp lasts, such as \"30s\"");
        }
        Duration duration;
        try {
            duration = JsonDuration.parse(window instanceof String s ? s : "");
        } catch (IllegalArgumentException e) {
            throw invalid(".slowStartWindow", "must be a duration such as \"30s\" or \"0.5s\"", window);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw invalid(".slowStartWindow", "must be greater than 0s", window);
        }
        double aggression = number(raw.get("aggression"), ".aggression", 1.0);
        if (!(aggression > 0) || Double.isInfinite(aggression)) {
            throw invalid(".aggression", "must be greater than 0", raw.get("aggression"));
        }
        double minWeightPercent = number(raw.get("minWeightPercent"), ".minWeightPercent", 10);
        if (!(minWeightPercent >= 0 && minWeightPercent <= 100)) {
            throw invalid(".minWeightPercent", "must be a percentage from 0 to 100", raw.get("minWeightPercent"));
        }
        return new SlowStartConfig(duration, aggression, minWeightPercent);
    }

    private static double number(@Nullable Object value, String field, double fallback) {
        return value == null ? fallback : ConfigNumbers.number(FIELD + field, value);
    }

    private static InvalidServiceConfigException invalid(String field, String rule, @Nullable Object value) {
        return InvalidServiceConfigException.ofField(FIELD + field, rule, value);
    }
}
