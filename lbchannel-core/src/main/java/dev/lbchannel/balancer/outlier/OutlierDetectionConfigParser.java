package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.outlier.OutlierDetectionConfig.FailurePercentageEjection;
import dev.lbchannel.balancer.outlier.OutlierDetectionConfig.SuccessRateEjection;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.JsonDuration;
import dev.lbchannel.config.LbPolicySelection;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Map;

/**
 * Reads an {@code outlier_detection} block with gRFC A50's defaults and validation: durations
 * are proto3 JSON strings of zero or more ({@code interval} more than zero, or the sweep would
 * spin), percentages at most 100, counts whole and not negative. Every error names the field,
 * the rule and the value, with a path the channel completes from the config's root. Unknown
 * fields are ignored, as everywhere in a service config.
 * Stateless.
 */
final class OutlierDetectionConfigParser {

    private OutlierDetectionConfigParser() {
    }

    static OutlierDetectionConfig parse(Map<String, ?> raw, BalancerRegistry balancers) {
        Duration interval = duration(raw, "interval", Duration.ofSeconds(10));
        if (interval.isZero()) {
            throw invalid("interval", "must be greater than 0s", raw.get("interval"));
        }
        Duration base = duration(raw, "baseEjectionTime", Duration.ofSeconds(30));
        Duration max = duration(raw, "maxEjectionTime", Duration.ofSeconds(300));
        int maxPercent = number(raw, "", "maxEjectionPercent", 10, true);
        Object childList = raw.get("childPolicy");
        if (childList == null) {
            throw InvalidServiceConfigException.ofField("childPolicy", "is required: the policy to wrap, such as"
                    + " [{\"round_robin\": {}}]");
        }
        LbPolicySelection child = LbPolicySelection.fromList("childPolicy", childList, balancers);
        return new OutlierDetectionConfig(interval, base, max, maxPercent, successRate(raw),
                failurePercentage(raw), balancers.require(child.policyName()), child.config());
    }

    private static @Nullable SuccessRateEjection successRate(Map<String, ?> raw) {
        Map<String, ?> block = object(raw, "successRateEjection");
        if (block == null) {
            return null;
        }
        SuccessRateEjection d = SuccessRateEjection.DEFAULTS;
        String in = "successRateEjection.";
        return new SuccessRateEjection(number(block, in, "stdevFactor", d.stdevFactor(), false),
                number(block, in, "enforcementPercentage", d.enforcementPercentage(), true),
                number(block, in, "minimumHosts", d.minimumHosts(), false),
                number(block, in, "requestVolume", d.requestVolume(), false));
    }

    private static @Nullable FailurePercentageEjection failurePercentage(Map<String, ?> raw) {
        Map<String, ?> block = object(raw, "failurePercentageEjection");
        if (block == null) {
            return null;
        }
        FailurePercentageEjection d = FailurePercentageEjection.DEFAULTS;
        String in = "failurePercentageEjection.";
        return new FailurePercentageEjection(number(block, in, "threshold", d.threshold(), true),
                number(block, in, "enforcementPercentage", d.enforcementPercentage(), true),
                number(block, in, "minimumHosts", d.minimumHosts(), false),
                number(block, in, "requestVolume", d.requestVolume(), false));
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Map<String, ?> object(Map<String, ?> raw, String field) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, ?>) map;
        }
        throw invalid(field, "must be an object (use {} for the defaults)", value);
    }

    private static Duration duration(Map<String, ?> raw, String field, Duration fallback) {
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
        if (duration.isNegative()) {
            throw invalid(field, "must not be negative", value);
        }
        return duration;
    }

    /** A uint32 field; a percentage also at most 100. JSON numbers arrive as doubles, YAML's maybe as text. */
    private static int number(Map<String, ?> raw, String prefix, String field, int fallback, boolean percentage) {
        Object value = raw.get(field);
        if (value == null) {
            return fallback;
        }
        double number;
        if (value instanceof Number n) {
            number = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                number = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw invalid(prefix + field, "must be a whole number", value);
            }
        } else {
            throw invalid(prefix + field, "must be a whole number", value);
        }
        if (number != Math.rint(number) || number < 0) {
            throw invalid(prefix + field, "must be a whole number of 0 or more", value);
        }
        if (percentage && number > 100) {
            throw invalid(prefix + field, "must be a percentage from 0 to 100", value);
        }
        if (number > Integer.MAX_VALUE) {
            throw invalid(prefix + field, "must be at most " + Integer.MAX_VALUE, value);
        }
        return (int) number;
    }

    private static InvalidServiceConfigException invalid(String field, String rule, @Nullable Object value) {
        return InvalidServiceConfigException.ofField(field, rule, value);
    }
}
