package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.slowstart.SlowStartConfig;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.JsonDuration;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code weighted_round_robin} block with gRFC A58's defaults and rules: durations are
 * proto3 JSON strings ({@code "10s"}, {@code "0.5s"}) of zero or more, a
 * {@code weightUpdatePeriod} under 100 ms is taken as 100 ms, {@code errorUtilizationPenalty} is a
 * number of 0 or more, {@code enableOobLoadReport} a boolean, and A114's
 * {@code metricNamesForComputingUtilization} a list of strings; ours, {@code slowStartConfig}, as
 * {@link SlowStartConfig#parse} says. Every error names the field, the
 * rule and the value. Unknown fields are ignored, as everywhere in a service config. Stateless.
 */
final class WeightedRoundRobinConfigParser {

    private WeightedRoundRobinConfigParser() {
    }

    static WeightedRoundRobinConfig parse(Map<String, ?> raw) {
        WeightedRoundRobinConfig d = WeightedRoundRobinConfig.DEFAULT;
        return new WeightedRoundRobinConfig(
                duration(raw, "blackoutPeriod", d.blackoutPeriod()),
                duration(raw, "weightExpirationPeriod", d.weightExpirationPeriod()),
                duration(raw, "weightUpdatePeriod", d.weightUpdatePeriod()),
                penalty(raw, d.errorUtilizationPenalty()),
                bool(raw, "enableOobLoadReport", d.enableOobLoadReport()),
                duration(raw, "oobReportingPeriod", d.oobReportingPeriod()),
                metricNames(raw),
                SlowStartConfig.parse(raw));
    }

    private static Duration duration(Map<String, ?> raw, String field, Duration fallback) {
        Object value = raw.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw invalid(field, "must be a duration string such as \"10s\" or \"0.5s\"", value);
        }
        Duration parsed;
        try {
            parsed = JsonDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "must be a duration such as \"10s\" or \"0.5s\"", value);
        }
        if (parsed.isNegative()) {
            throw invalid(field, "must not be negative", value);
        }
        return parsed;
    }

    /** A float; JSON numbers arrive as doubles, YAML's may arrive as text. */
    private static float penalty(Map<String, ?> raw, float fallback) {
        String field = "errorUtilizationPenalty";
        Object value = raw.get(field);
        if (value == null) {
            return fallback;
        }
        double number;
        try {
            number = value instanceof Number n ? n.doubleValue()
                    : value instanceof String s ? Double.parseDouble(s.strip()) : Double.NaN;
        } catch (NumberFormatException e) {
            number = Double.NaN;
        }
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw invalid(field, "must be a number", value);
        }
        if (number < 0) {
            throw invalid(field, "must be 0 or more", value);
        }
        return (float) number;
    }

    private static boolean bool(Map<String, ?> raw, String field, boolean fallback) {
        Object value = raw.get(field);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw invalid(field, "must be true or false", value);
    }

    private static List<String> metricNames(Map<String, ?> raw) {
        String field = "metricNamesForComputingUtilization";
        Object value = raw.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw invalid(field, "must be a list of metric names", value);
        }
        List<String> names = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String name)) {
                throw invalid(field + "[" + i + "]", "must be a string", list.get(i));
            }
            names.add(name);
        }
        return names;
    }

    private static InvalidServiceConfigException invalid(String field, String rule, @Nullable Object value) {
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return InvalidServiceConfigException.ofField(field, rule + ", was " + shown);
    }
}
