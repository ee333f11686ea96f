package dev.lbchannel.balancer.peakewma;

import dev.lbchannel.balancer.leastrequest.LeastRequestConfig;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.JsonDuration;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The parsed {@code peak_ewma} block:
 * <pre>{@code {"peak_ewma": {"decayTime": "10s", "choiceCount": 2, "penaltyLatency": "1s"}}}</pre>
 * Immutable.
 *
 * @param decayTime      the moving average's time constant: a sample below the average counts
 *     with weight {@code 1 - exp(-elapsed / decayTime)}, and an average not refreshed decays
 *     toward zero by {@code exp(-elapsed / decayTime)}; greater than zero
 * @param choiceCount    how many READY endpoints a pick samples, with replacement, as
 *     {@code least_request}'s (gRFC A48's rules: 2 to 10, more taken as 10)
 * @param penaltyLatency the latency taken for an endpoint without a sample yet while it has a
 *     call in flight (without one it costs nothing, so a new endpoint is tried at once but gets
 *     no second call before its first answers), and the cap a failed call's doubling reaches;
 *     greater than zero
 */
public record PeakEwmaConfig(Duration decayTime, int choiceCount, Duration penaltyLatency) {

    public static final PeakEwmaConfig DEFAULT = new PeakEwmaConfig(Duration.ofSeconds(10), 2, Duration.ofSeconds(1));

    public PeakEwmaConfig {
        requireNonNull(decayTime, "decayTime");
        requireNonNull(penaltyLatency, "penaltyLatency");
        if (decayTime.isZero() || decayTime.isNegative()) {
            throw new IllegalArgumentException("decayTime must be greater than 0s, was " + decayTime);
        }
        if (penaltyLatency.isZero() || penaltyLatency.isNegative()) {
            throw new IllegalArgumentException("penaltyLatency must be greater than 0s, was " + penaltyLatency);
        }
    }

    /**
     * Reads a {@code peak_ewma} block: durations are proto3 JSON strings ({@code "10s"},
     * {@code "0.5s"}), {@code choiceCount} follows {@code least_request}'s rules. Unknown fields
     * are ignored, as everywhere in a service config.
     *
     * @throws InvalidServiceConfigException naming the field, the rule and the value
     */
    public static PeakEwmaConfig parse(Map<String, ?> raw) {
        return new PeakEwmaConfig(positive(raw, "decayTime", DEFAULT.decayTime()),
                LeastRequestConfig.choiceCount(raw),
                positive(raw, "penaltyLatency", DEFAULT.penaltyLatency()));
    }

    private static Duration positive(Map<String, ?> raw, String field, Duration fallback) {
        Object value = raw.get(field);
        if (value == null) {
            return fallback;
        }
        Duration duration;
        try {
            duration = JsonDuration.parse(value instanceof String s ? s : "");
        } catch (IllegalArgumentException e) {
            throw invalid(field, "must be a duration such as \"10s\" or \"0.5s\"", value);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw invalid(field, "must be greater than 0s", value);
        }
        return duration;
    }

    private static InvalidServiceConfigException invalid(String field, String rule, @Nullable Object value) {
        return InvalidServiceConfigException.ofField(field, rule, value);
    }
}
