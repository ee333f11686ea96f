package dev.lbchannel.config;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The proto3 JSON form of {@code google.protobuf.Duration} that service configs use for every
 * duration: decimal seconds with an {@code s} suffix and at most nine fractional digits, such
 * as {@code "1.5s"}, {@code "0.000000001s"} or {@code "3s"}. Sign allowed ({@code "-1s"});
 * exponents, spaces and other units are not. The range is proto's, ±315,576,000,000 seconds.
 * Stateless and thread-safe.
 */
public final class JsonDuration {

    /** Proto's limit: about 10,000 years. */
    static final long MAX_SECONDS = 315_576_000_000L;

    private JsonDuration() {
    }

    /**
     * Parses {@code "1.5s"} into a {@code Duration}.
     *
     * @throws IllegalArgumentException if the text is not of that form or out of range; the
     *         message says what was expected, without quoting the text
     */
    public static Duration parse(String text) {
        requireNonNull(text, "text");
        int end = text.length() - 1;
        if (end < 1 || text.charAt(end) != 's') {
            throw notADuration();
        }
        int i = 0;
        boolean negative = text.charAt(0) == '-';
        if (negative) {
            i++;
        }
        int secondsStart = i;
        while (i < end && isDigit(text.charAt(i))) {
            i++;
        }
        if (i == secondsStart || i - secondsStart > 12) {
            throw i == secondsStart ? notADuration() : outOfRange();
        }
        long seconds = Long.parseLong(text, secondsStart, i, 10);
        long nanos = 0;
        if (i < end) {
            if (text.charAt(i) != '.') {
                throw notADuration();
            }
            int fractionStart = ++i;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
            int digits = i - fractionStart;
            if (i != end || digits == 0 || digits > 9) {
                throw notADuration();
            }
            nanos = Long.parseLong(text, fractionStart, end, 10);
            for (int d = digits; d < 9; d++) {
                nanos *= 10;
            }
        }
        if (seconds > MAX_SECONDS) {
            throw outOfRange();
        }
        Duration duration = Duration.ofSeconds(seconds, nanos);
        return negative ? duration.negated() : duration;
    }

    /** Writes a duration in the same form, with 0, 3, 6 or 9 fractional digits as proto does. */
    public static String format(Duration duration) {
        requireNonNull(duration, "duration");
        boolean negative = duration.isNegative();
        Duration abs = duration.abs();
        StringBuilder out = new StringBuilder();
        if (negative) {
            out.append('-');
        }
        out.append(abs.getSeconds());
        int nanos = abs.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos);
            if (nanos % 1_000_000 == 0) {
                fraction = fraction.substring(0, 3);
            } else if (nanos % 1_000 == 0) {
                fraction = fraction.substring(0, 6);
            }
            out.append('.').append(fraction);
        }
        return out.append('s').toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException notADuration() {
        return new IllegalArgumentException("must be a duration in seconds with an 's' suffix and at most "
                + "9 fractional digits, such as \"1.5s\"");
    }

    private static IllegalArgumentException outOfRange() {
        return new IllegalArgumentException("must be at most " + MAX_SECONDS + " seconds");
    }
}
