package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recursive-descent reader behind {@link Json#parse}: one instance reads one document,
 * then is dropped. Not thread-safe (it need not be: it never escapes {@link Json}).
 */
final class JsonParser {

    /** Deeper documents are refused rather than risking the stack. */
    static final int MAX_DEPTH = 100;

    private final String text;
    private int pos;
    private int depth;

    JsonParser(String text) {
        this.text = text;
    }

    @Nullable Object parseDocument() {
        skipWhitespace();
        Object value = parseValue();
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected " + describe(text.charAt(pos)) + " after the JSON value");
        }
        return value;
    }

    private @Nullable Object parseValue() {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return parseObject();
            case '[':
                return parseArray();
            case '"':
                return parseString();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return parseNumber();
                }
                throw error("unexpected " + describe(c) + ", expected a value");
        }
    }

    private Map<String, Object> parseObject() {
        enter();
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return leave(Collections.unmodifiableMap(map));
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error(unexpected("expected a string key"));
            }
            int keyStart = pos;
            String key = parseString();
            if (map.containsKey(key)) {
                pos = keyStart;
                throw error("duplicate key " + JsonWriter.quote(key));
            }
            skipWhitespace();
            if (peek() != ':') {
                throw error(unexpected("expected ':' after an object key"));
            }
            pos++;
            skipWhitespace();
            map.put(key, parseValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return leave(Collections.unmodifiableMap(map));
            }
            if (c != ',') {
                pos--;
                throw error(unexpected("expected ',' or '}' in an object"));
            }
        }
    }

    private List<Object> parseArray() {
        enter();
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return leave(Collections.unmodifiableList(list));
        }
        while (true) {
            skipWhitespace();
            list.add(parseValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return leave(Collections.unmodifiableList(list));
            }
            if (c != ',') {
                pos--;
                throw error(unexpected("expected ',' or ']' in an array"));
            }
        }
    }

    private String parseString() {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unexpected end of input in a string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c == '\\') {
                readEscape(out);
            } else if (c < 0x20) {
                throw error("unescaped " + describe(c) + " in a string");
            } else {
                out.append(c);
                pos++;
            }
        }
    }

    private void readEscape(StringBuilder out) {
        int escapeStart = pos;
        pos++; // backslash
        if (pos >= text.length()) {
            throw error("unexpected end of input in a string");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"', '\\', '/' -> out.append(c);
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> readUnicodeEscape(out, escapeStart);
            default -> {
                pos = escapeStart;
                throw error("invalid escape '\\" + c + "'");
            }
        }
    }

    /** A {@code \}{@code uXXXX} escape; a surrogate must come as a high-low pair of escapes. */
    private void readUnicodeEscape(StringBuilder out, int escapeStart) {
        char unit = readHex4(escapeStart);
        if (Character.isLowSurrogate(unit)) {
            pos = escapeStart;
            throw error("unpaired surrogate escape");
        }
        if (Character.isHighSurrogate(unit)) {
            int lowStart = pos;
            if (!text.startsWith("\\u", pos)) {
                pos = escapeStart;
                throw error("unpaired surrogate escape");
            }
            pos += 2;
            char low = readHex4(lowStart);
            if (!Character.isLowSurrogate(low)) {
                pos = escapeStart;
                throw error("unpaired surrogate escape");
            }
            out.append(unit).append(low);
            return;
        }
        out.append(unit);
    }

    private char readHex4(int escapeStart) {
        if (pos + 4 > text.length()) {
            pos = escapeStart;
            throw error("incomplete unicode escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                pos = escapeStart;
                throw error("invalid unicode escape");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    /** RFC 8259 section 6: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private Double parseNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in a number");
            }
        } else {
            requireDigits("expected a digit");
        }
        if (peek() == '.') {
            pos++;
            requireDigits("expected a digit after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigits("expected a digit in the exponent");
        }
        double value = Double.parseDouble(text.substring(start, pos));
        if (Double.isInfinite(value)) {
            pos = start;
            throw error("number too large for a double");
        }
        return value;
    }

    private void requireDigits(String expectation) {
        if (!isDigit(peek())) {
            throw error(unexpected(expectation));
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private @Nullable Object literal(String word, @Nullable Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describe(text.charAt(pos)) + ", expected a value");
        }
        pos += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private <T> T leave(T value) {
        depth--;
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The current character, or {@code 0xFFFF} (never valid here) at the end. */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\uFFFF';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String unexpected(String expectation) {
        String found = pos < text.length() ? describe(text.charAt(pos)) : "end of input";
        return expectation + ", found " + found;
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) || c == '\uFEFF') {
            return String.format("character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private IllegalArgumentException error(String message) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = pos - lineStart + 1;
        return new IllegalArgumentException("Invalid JSON at line " + line + ", column " + column + ": " + message);
    }
}
