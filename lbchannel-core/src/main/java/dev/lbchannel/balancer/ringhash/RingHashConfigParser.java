package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.config.InvalidServiceConfigException;
import org.jspecify.annotations.Nullable;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@code ring_hash} block with gRFC A42's defaults and limits and A76's header rules:
 * ring sizes are uint64 (a JSON number or its decimal text, as proto3 JSON writes a uint64),
 * from 1 to 8,388,608, the minimum not above the maximum; {@code requestHashHeader} must be a
 * valid header name and not a binary ({@code -bin}) one; empty means none. Every error names the
 * field, the rule and the value. Unknown fields are ignored. Stateless.
 */
final class RingHashConfigParser {

    /** gRPC's header name characters (its HTTP/2 protocol spec), after lower-casing. */
    private static final Pattern HEADER_NAME = Pattern.compile("[0-9a-z_.-]+");

    private RingHashConfigParser() {
    }

    static RingHashConfig parse(Map<String, ?> raw) {
        long min = size(raw, "minRingSize", RingHashConfig.DEFAULT.minRingSize());
        long max = size(raw, "maxRingSize", RingHashConfig.DEFAULT.maxRingSize());
        if (min > max) {
            throw invalid("minRingSize", "must not be above maxRingSize (" + max
                    + (raw.containsKey("maxRingSize") ? "" : " by default") + ")", raw.get("minRingSize"));
        }
        return new RingHashConfig(min, max, header(raw));
    }

    private static long size(Map<String, ?> raw, String field, long fallback) {
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
                throw invalid(field, "must be a whole number", value);
            }
        } else {
            throw invalid(field, "must be a whole number", value);
        }
        if (number != Math.rint(number) || number < 1 || number > RingHashConfig.MAX_RING_SIZE) {
            throw invalid(field, "must be a whole number from 1 to " + RingHashConfig.MAX_RING_SIZE, value);
        }
        return (long) number;
    }

    private static @Nullable String header(Map<String, ?> raw) {
        Object value = raw.get("requestHashHeader");
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw invalid("requestHashHeader", "must be a string", value);
        }
        if (text.isEmpty()) {
            return null;
        }
        String name = text.toLowerCase(Locale.ROOT);
        if (!HEADER_NAME.matcher(name).matches()) {
            throw invalid("requestHashHeader", "must be a header name of letters, digits, '-', '_' and '.'", value);
        }
        if (name.endsWith("-bin")) {
            throw invalid("requestHashHeader", "must not name a binary (-bin) header", value);
        }
        return name;
    }

    private static InvalidServiceConfigException invalid(String field, String rule, @Nullable Object value) {
        return InvalidServiceConfigException.ofField(field, rule, value);
    }
}
