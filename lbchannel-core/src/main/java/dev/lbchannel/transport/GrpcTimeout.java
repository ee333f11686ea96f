package dev.lbchannel.transport;

import io.netty.util.AsciiString;

/**
 * Encodes the {@code grpc-timeout} request header: a positive integer of at most eight digits
 * followed by a unit (PROTOCOL-HTTP2, "Timeout"). Stateless.
 */
final class GrpcTimeout {

    /** Eight digits, the most the header may carry. */
    private static final long MAX_VALUE = 99_999_999L;
    private static final long[] NANOS_PER_UNIT = {
        1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
    private static final char[] UNITS = {'n', 'u', 'm', 'S', 'M', 'H'};

    private GrpcTimeout() {
    }

    /**
     * Encodes {@code nanos} in the finest unit whose value fits eight digits, rounding down.
     * Values below one nanosecond become {@code 1n}; values beyond the largest encodable hour
     * count are capped.
     */
    static AsciiString encode(long nanos) {
        long remaining = Math.max(1L, nanos);
        for (int i = 0; i < UNITS.length; i++) {
            long value = remaining / NANOS_PER_UNIT[i];
            if (value <= MAX_VALUE) {
                return format(Math.max(1L, value), UNITS[i]);
            }
        }
        return format(MAX_VALUE, 'H');
    }

    private static AsciiString format(long value, char unit) {
        String digits = Long.toString(value);
        byte[] bytes = new byte[digits.length() + 1];
        for (int i = 0; i < digits.length(); i++) {
            bytes[i] = (byte) digits.charAt(i);
        }
        bytes[digits.length()] = (byte) unit;
        return new AsciiString(bytes, false);
    }
}
