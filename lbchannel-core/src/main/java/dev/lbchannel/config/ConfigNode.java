package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One value of a service config together with its path ({@code methodConfig[0].timeout}), with
 * typed reads that fail with an {@link InvalidServiceConfigException} naming the path, the rule
 * and the value. A JSON {@code null} reads as absent, as proto3 JSON says. Values are those of
 * {@link JsonTree#copyOf} (every number a {@code Double}). Immutable.
 */
final class ConfigNode {

    /** Longer values are cut in error messages; the path already says where to look. */
    private static final int MAX_QUOTED_LENGTH = 100;

    /** About 292 years: the longest duration whose nanoseconds fit a {@code long}. */
    static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    private final String path;
    private final @Nullable Object value;

    private ConfigNode(String path, @Nullable Object value) {
        this.path = path;
        this.value = value;
    }

    static ConfigNode root(Map<String, ?> json) {
        return new ConfigNode("", json);
    }

    /** A value found at {@code path} by a caller that read its way there itself. */
    static ConfigNode at(String path, @Nullable Object value) {
        return new ConfigNode(path, value);
    }

    String path() {
        return path;
    }

    @Nullable Object value() {
        return value;
    }

    boolean isPresent() {
        return value != null;
    }

    /** A field of this object (absent if missing); this node must be an object. */
    ConfigNode field(String name) {
        Object child = asObject().get(name);
        return new ConfigNode(path.isEmpty() ? name : path + "." + name, child);
    }

    @SuppressWarnings("unchecked")
    Map<String, ?> asObject() {
        if (value instanceof Map) {
            return (Map<String, ?>) value;
        }
        throw invalid("must be an object");
    }

    List<ConfigNode> elements() {
        if (!(value instanceof List<?> list)) {
            throw invalid("must be an array");
        }
        List<ConfigNode> elements = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            elements.add(new ConfigNode(path + "[" + i + "]", list.get(i)));
        }
        return elements;
    }

    String asString() {
        if (value instanceof String s) {
            return s;
        }
        throw invalid("must be a string");
    }

    boolean asBoolean() {
        if (value instanceof Boolean b) {
            return b;
        }
        throw invalid("must be true or false");
    }

    /** A JSON number, or a string holding one (proto3 JSON accepts both for numeric fields). */
    double asNumber() {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s && !s.isEmpty() && !Character.isWhitespace(s.charAt(0))
                && !Character.isWhitespace(s.charAt(s.length() - 1))) {
            try {
                if (Json.parse(s) instanceof Double d) {
                    return d;
                }
            } catch (IllegalArgumentException e) {
                // not a number: reported below
            }
        }
        throw invalid("must be a number");
    }

    /** A number without a fraction, within {@code long} range. */
    long asWholeNumber() {
        double d = asNumber();
        if (d != Math.rint(d) || Math.abs(d) > Long.MAX_VALUE) {
            throw invalid("must be a whole number");
        }
        return (long) d;
    }

    /**
     * A duration of zero or more. Like every config duration it is capped at
     * {@link #MAX_DURATION}, so {@code toNanos()} on it never overflows on the call path.
     */
    Duration asNonNegativeDuration() {
        Duration duration = asDuration();
        if (duration.isNegative()) {
            throw invalid("must not be negative");
        }
        return min(duration, MAX_DURATION);
    }

    /** A duration greater than zero, capped like {@link #asNonNegativeDuration}. */
    Duration asPositiveDuration() {
        Duration duration = asDuration();
        if (duration.isNegative() || duration.isZero()) {
            throw invalid("must be greater than 0s");
        }
        return min(duration, MAX_DURATION);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A proto3 JSON duration string such as {@code "1.5s"}. */
    private Duration asDuration() {
        try {
            // A non-string gets the duration rule too: "must be a string" would not say which.
            return JsonDuration.parse(value instanceof String s ? s : "");
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /** {@code "<path> <rule>, was <value>"}. */
    InvalidServiceConfigException invalid(String rule) {
        return new InvalidServiceConfigException(path, rule + ", was " + quote(value));
    }

    /** {@code "<path> is required"}. */
    InvalidServiceConfigException required() {
        return new InvalidServiceConfigException(path, "is required");
    }

    static String quote(@Nullable Object value) {
        String text;
        try {
            text = Json.write(value);
        } catch (IllegalArgumentException e) {
            text = JsonWriter.typeName(value);
        }
        return text.length() <= MAX_QUOTED_LENGTH ? text : text.substring(0, MAX_QUOTED_LENGTH) + "...";
    }

    @Override
    public String toString() {
        return path + "=" + quote(value);
    }
}
