package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.boot.autoconfigure.ConvertedServiceConfig.Origin;
import dev.lbchannel.boot.autoconfigure.ServiceConfigShape.Kind;
import dev.lbchannel.config.JsonDuration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns a {@code service-config} as Spring binds it into exactly the JSON of gRPC's
 * service_config.md. Spring's binder gives a {@code Map<String, Object>} in which lists are maps
 * keyed {@code "0"}, {@code "1"}, ... and an empty {@code {}} is {@code ""}; values are what the
 * YAML said (or strings, from a properties file or the environment). This class
 * <ul>
 * <li>rebuilds lists, and empty objects where the schema has an object ({@code round_robin: {}});
 * <li>turns the kebab-case keys of the schema's fields into gRPC's camelCase
 *     ({@code method-config} → {@code methodConfig}), and passes policy names and a custom
 *     policy's own config keys through exactly as written; in a custom policy's block, where
 *     there is no schema, a string that is a JSON number or boolean literal (as placeholders and
 *     properties files give them) becomes that number or boolean;
 * <li>types scalars as the schema says: booleans, numbers, byte counts (also {@code 4MB}),
 *     status codes (a comma-separated string is a list), and durations in Spring's forms
 *     ({@code 500ms}, {@code 2s}, {@code PT2S}, a bare number of milliseconds) or gRPC's
 *     ({@code 2.5s}), all written as gRPC duration strings.
 * </ul>
 * Validation beyond types is {@link dev.lbchannel.config.ServiceConfig#parse}'s job. Stateless.
 */
final class ServiceConfigYaml {

    private static final Pattern GRPC_DURATION = Pattern.compile("-?\\d+(\\.\\d+)?s");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d+");
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final Pattern INDEX = Pattern.compile("0|[1-9]\\d{0,8}");

    private final String property;
    private final YamlOrigins written;
    private final Map<String, Origin> origins = new LinkedHashMap<>();

    private ServiceConfigYaml(String property, YamlOrigins written) {
        this.written = written;
        this.property = property;
    }

    /**
     * Converts a bound {@code service-config}.
     *
     * @param property the property it was bound from, such as
     *                 {@code lbchannel.channels.orders.service-config}
     * @throws LbChannelConfigurationException naming the property of a value of the wrong type
     */
    static ConvertedServiceConfig convert(Map<String, ?> bound, String property) {
        return convert(bound, property, YamlOrigins.NONE);
    }

    /**
     * Converts a bound {@code service-config}, reading the YAML as written where the binder lost
     * the difference between an empty list, an empty object and an empty string.
     */
    static ConvertedServiceConfig convert(Map<String, ?> bound, String property, YamlOrigins written) {
        ServiceConfigYaml converter = new ServiceConfigYaml(property, written);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) converter.convert(bound, ServiceConfigShape.ROOT, "", property);
        return new ConvertedServiceConfig(json, Map.copyOf(converter.origins), property);
    }

    private @Nullable Object convert(@Nullable Object value, ServiceConfigShape shape, String path, String source) {
        if (!path.isEmpty()) {
            origins.put(path, new Origin(source, value));
        }
        return switch (shape.kind()) {
            case OBJECT -> object(value, shape, path, source);
            case LIST -> list(value, shape.element(), path, source);
            case POLICIES -> policies(value, path, source);
            case RAW -> raw(value, path, source);
            case STRING -> string(value, path, source);
            case BOOLEAN -> bool(value, path, source);
            case NUMBER -> number(value, path, source);
            case BYTES -> bytes(value, path, source);
            case DURATION -> duration(value, path, source);
            case STATUS_CODE -> statusCode(value, path, source);
        };
    }

    private Map<String, Object> object(@Nullable Object value, ServiceConfigShape shape, String path, String source) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (isEmpty(value)) {
            return json;
        }
        if (!(value instanceof Map<?, ?> map) || isIndexed(map)) {
            throw invalid(path, source, value, "must be an object");
        }
        Map<String, String> writtenAs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            String field = camelCase(key);
            String earlier = writtenAs.putIfAbsent(field, key);
            if (earlier != null) {
                throw invalid(path, source, null, "sets '" + field + "' twice, as '" + earlier + "' and as '" + key + "'");
            }
            ServiceConfigShape fieldShape = shape.field(field);
            if (fieldShape == null) {
                throw unknownField(shape, path, source + "." + key, key, entry.getValue());
            }
            json.put(field, convert(entry.getValue(), fieldShape, child(path, field), source + "." + key));
        }
        return json;
    }

    private List<Object> list(@Nullable Object value, ServiceConfigShape element, String path, String source) {
        List<Object> json = new ArrayList<>();
        if (isEmpty(value)) {
            return json;
        }
        if (value instanceof String text && isScalar(element)) {
            // A comma-separated string, as Spring allows for lists: "UNAVAILABLE, ABORTED".
            String[] parts = text.split(",");
            for (int i = 0; i < parts.length; i++) {
                json.add(convert(parts[i].trim(), element, path + "[" + i + "]", source));
            }
            return json;
        }
        List<?> elements = elements(value);
        if (elements == null) {
            throw invalid(path, source, value, "must be a list");
        }
        for (int i = 0; i < elements.size(); i++) {
            json.add(convert(elements.get(i), element, path + "[" + i + "]", source + "[" + i + "]"));
        }
        return json;
    }

    private List<Object> policies(@Nullable Object value, String path, String source) {
        List<Object> json = new ArrayList<>();
        List<?> entries = isEmpty(value) ? List.of() : elements(value);
        if (entries == null) {
            throw invalid(path, source, value, "must be a list of single-key objects, such as [ { round_robin: {} } ]");
        }
        for (int i = 0; i < entries.size(); i++) {
            String entryPath = path + "[" + i + "]";
            String entrySource = source + "[" + i + "]";
            Object entry = entries.get(i);
            origins.put(entryPath, new Origin(entrySource, entry));
            if (!(entry instanceof Map<?, ?> map) || isIndexed(map) || map.isEmpty()) {
                throw invalid(entryPath, entrySource, entry, "must be an object whose one key is the policy name");
            }
            Map<String, Object> policy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> named : map.entrySet()) {
                String name = String.valueOf(named.getKey());
                policy.put(name, policyConfig(named.getValue(), name, child(entryPath, name), entrySource + "." + name));
            }
            json.add(policy);
        }
        return json;
    }

    private Object policyConfig(@Nullable Object value, String policyName, String path, String source) {
        ServiceConfigShape shape = ServiceConfigShape.policyConfig(policyName);
        if (shape.kind() == Kind.RAW) {
            origins.put(path, new Origin(source, value));
            // The block of any policy is an object; "" is how the YAML loader keeps an empty one.
            return isEmpty(value) ? new LinkedHashMap<String, Object>() : rawBlock(value, path, source);
        }
        return convert(value, shape, path, source);
    }

    private Object rawBlock(Object value, String path, String source) {
        if (!(value instanceof Map<?, ?> map) || isIndexed(map)) {
            throw invalid(path, source, value, "must be an object: the policy's own config");
        }
        return raw(value, path, source);
    }

    private @Nullable Object raw(@Nullable Object value, String path, String source) {
        List<?> elements = value instanceof Map<?, ?> || value instanceof Collection<?> ? elements(value) : null;
        if (elements != null) {
            List<Object> json = new ArrayList<>();
            for (int i = 0; i < elements.size(); i++) {
                String elementPath = path + "[" + i + "]";
                origins.put(elementPath, new Origin(source + "[" + i + "]", elements.get(i)));
                json.add(raw(elements.get(i), elementPath, source + "[" + i + "]"));
            }
            return json;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> json = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                origins.put(child(path, key), new Origin(source + "." + key, entry.getValue()));
                json.put(key, raw(entry.getValue(), child(path, key), source + "." + key));
            }
            return json;
        }
        if (value instanceof String text && text.isEmpty()) {
            return emptyAsWritten(source);
        }
        return value instanceof String text ? literal(text) : value;
    }

    /** A policy's own block keeps what the user wrote: {@code []} is an empty list, {@code {}} an empty object. */
    private Object emptyAsWritten(String source) {
        return switch (written.emptyAsWritten(source)) {
            case LIST -> new ArrayList<>();
            case OBJECT -> new LinkedHashMap<String, Object>();
            case STRING, UNKNOWN -> "";
        };
    }

    /**
     * A string that is a JSON number or boolean literal as that number or boolean: a placeholder,
     * a properties file or an environment variable gives only strings, where YAML would have
     * typed {@code 3} or {@code true}. Any other string stays a string.
     */
    private static Object literal(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        if (JSON_NUMBER.matcher(text).matches()) {
            return WHOLE_NUMBER.matcher(text).matches() && text.length() < 19 ? (Object) Long.valueOf(text)
                    : (Object) Double.valueOf(text);
        }
        return text;
    }

    private Object string(@Nullable Object value, String path, String source) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw invalid(path, source, value, "must be a string");
    }

    private Object bool(@Nullable Object value, String path, String source) {
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.valueOf(text);
        }
        throw invalid(path, source, value, "must be true or false");
    }

    private Object number(@Nullable Object value, String path, String source) {
        if (value instanceof Number) {
            return value;
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.trim()).doubleValue();
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw invalid(path, source, value, "must be a number");
    }

    private Object bytes(@Nullable Object value, String path, String source) {
        if (value instanceof Number) {
            return value;
        }
        if (value instanceof String text) {
            try {
                return DataSize.parse(text.trim()).toBytes();
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw invalid(path, source, value, "must be a number of bytes or a data size such as 4MB");
    }

    private Object duration(@Nullable Object value, String path, String source) {
        Duration duration = null;
        if (value instanceof Integer || value instanceof Long) {
            duration = Duration.ofMillis(((Number) value).longValue());
        } else if (value instanceof Duration given) {
            duration = given;
        } else if (value instanceof String text) {
            duration = parseDuration(text.trim());
        }
        if (duration == null) {
            throw invalid(path, source, value,
                    "must be a duration such as 500ms, 2s, 2.5s or PT2S, or a whole number of milliseconds");
        }
        return JsonDuration.format(duration);
    }

    private static @Nullable Duration parseDuration(String text) {
        try {
            if (GRPC_DURATION.matcher(text).matches()) {
                return JsonDuration.parse(text);
            }
            return DurationStyle.detectAndParse(text, ChronoUnit.MILLIS);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Object statusCode(@Nullable Object value, String path, String source) {
        if (value instanceof Number) {
            return value;
        }
        if (value instanceof String text) {
            return WHOLE_NUMBER.matcher(text).matches() ? Double.valueOf(text) : text.toUpperCase(Locale.ROOT);
        }
        throw invalid(path, source, value, "must be a status code name, such as UNAVAILABLE, or number");
    }

    /** The elements of a list as bound: a {@code Collection}, or a map keyed 0, 1, ...; else {@code null}. */
    private static @Nullable List<?> elements(@Nullable Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Collection<?> collection) {
            return new ArrayList<>(collection);
        }
        if (value instanceof Map<?, ?> map && isIndexed(map)) {
            TreeMap<Integer, Object> byIndex = new TreeMap<>();
            map.forEach((key, element) -> byIndex.put(Integer.valueOf(String.valueOf(key)), element));
            return new ArrayList<>(byIndex.values());
        }
        return null;
    }

    /** The elements of a map Spring bound from a YAML list (its keys are the indexes), or {@code null}. */
    static @Nullable List<?> indexedElements(Map<?, ?> map) {
        return isIndexed(map) ? elements(map) : null;
    }

    private static boolean isIndexed(Map<?, ?> map) {
        if (map.isEmpty()) {
            return false;
        }
        for (Object key : map.keySet()) {
            if (!INDEX.matcher(String.valueOf(key)).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(@Nullable Object value) {
        return value == null || (value instanceof String text && text.isEmpty())
                || (value instanceof Map<?, ?> map && map.isEmpty());
    }

    private static boolean isScalar(ServiceConfigShape shape) {
        return shape.kind() != Kind.OBJECT && shape.kind() != Kind.LIST && shape.kind() != Kind.POLICIES
                && shape.kind() != Kind.RAW;
    }

    /** {@code max-attempts} → {@code maxAttempts}; a key without a hyphen is kept as written. */
    static String camelCase(String key) {
        if (key.indexOf('-') < 0) {
            return key;
        }
        StringBuilder out = new StringBuilder(key.length());
        boolean upper = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '-') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** gRPC ignores fields it does not know; from YAML one is almost always a typo that silently loses a setting. */
    private static LbChannelConfigurationException unknownField(ServiceConfigShape shape, String path, String source,
            String key, @Nullable Object value) {
        String where = path.isEmpty() ? "The service config" : path;
        String nearest = NearestName.to(key, shape.fieldNames());
        String fields = shape.fieldNames().isEmpty() ? "none" : String.join(", ", new TreeSet<>(shape.fieldNames()));
        String fix = nearest == null
                ? "Remove " + source + ", or name one of the fields " + where + " has: " + fields + "."
                : "Did you mean '" + nearest + "'? Rename " + source + " to " + source.substring(0, source.length() - key.length())
                        + kebabCase(nearest) + " (or " + nearest + ").";
        return new LbChannelConfigurationException(source, value,
                where + " has no field '" + camelCase(key) + "'; its fields are: " + fields, fix);
    }

    private static String kebabCase(String camelCase) {
        StringBuilder out = new StringBuilder();
        for (char c : camelCase.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private LbChannelConfigurationException invalid(String path, String source, @Nullable Object value, String rule) {
        String where = path.isEmpty() ? "The service config" : path;
        return new LbChannelConfigurationException(source, value, where + " " + rule,
                "Correct " + source + ". " + ServiceConfigErrors.SYNTAX_HINT);
    }
}
