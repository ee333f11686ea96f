package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A minimal, strict JSON (RFC 8259) reader and writer for service configs, such as the ones a
 * DNS TXT record carries (gRFC A2). Reading gives the shapes gRPC's own service config APIs use:
 * objects become {@code Map<String, Object>} (insertion ordered, unmodifiable), arrays
 * {@code List<Object>} (unmodifiable), strings {@code String}, every number a {@code Double},
 * {@code true}/{@code false} a {@code Boolean}, and {@code null} {@code null}.
 *
 * <p>Strict means: no comments, no trailing commas, no single quotes, no leading {@code +} or
 * zeros, no unescaped control characters, no unpaired surrogate escapes, nothing after the
 * value but whitespace. A key repeated within one object is an error (rather than "last one
 * wins"), because a config that says two things about one field is a mistake worth reporting.
 * Numbers must fit a {@code double}; nesting deeper than 100 levels is
 * refused, so a hostile TXT record cannot exhaust the stack.
 *
 * <p>Errors are {@link IllegalArgumentException}s that name the line and column (both from 1),
 * e.g. {@code "Invalid JSON at line 1, column 7: expected ':' after an object key"}; they quote
 * at most the offending character, never the document. Stateless and thread-safe.
 */
public final class Json {

    private Json() {
    }

    /**
     * Parses one JSON value.
     *
     * @throws IllegalArgumentException naming the position of the first error
     */
    public static @Nullable Object parse(String json) {
        return new JsonParser(requireNonNull(json, "json")).parseDocument();
    }

    /**
     * Parses a JSON document whose value must be an object.
     *
     * @throws IllegalArgumentException naming the position of the first error, or saying the
     *         document is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, ?> parseObject(String json) {
        Object value = parse(json);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("Invalid JSON at line 1, column 1: expected an object, was "
                    + JsonWriter.typeName(value));
        }
        return (Map<String, ?>) value;
    }

    /**
     * Writes a value of the shapes {@link #parse} returns (any {@code Number}, any
     * {@code Map} with string keys, any {@code List}) as compact JSON. Whole numbers are written
     * without a fraction ({@code 3}, not {@code 3.0}).
     *
     * @throws IllegalArgumentException if the value holds something that is not JSON, such as
     *         {@code NaN} or a non-string key
     */
    public static String write(@Nullable Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(value, out);
        return out.toString();
    }
}
