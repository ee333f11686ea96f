package dev.lbchannel.health;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire form of the two {@code grpc.health.v1} messages, by hand:
 * {@code HealthCheckRequest { string service = 1; }} and
 * {@code HealthCheckResponse { ServingStatus status = 1; }}. Keeps protobuf-java out of core's
 * runtime dependencies; proven byte for byte against grpc-java's generated messages in tests.
 * Stateless.
 */
public final class HealthMessages {

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;
    /** Field 1, length-delimited: {@code HealthCheckRequest.service}. */
    private static final int SERVICE_TAG = 1 << 3 | WIRE_LENGTH_DELIMITED;
    private static final int STATUS_FIELD = 1;

    private HealthMessages() {
    }

    /**
     * A {@code HealthCheckRequest} for {@code service}. The empty name (the server's overall
     * health) is the empty message, as proto3 leaves out a field at its default.
     */
    public static byte[] request(String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length + 6);
        writeVarint(out, SERVICE_TAG);
        writeVarint(out, name.length);
        out.write(name, 0, name.length);
        return out.toByteArray();
    }

    /**
     * The status of a {@code HealthCheckResponse}. Unknown fields are skipped; of repeated status
     * fields the last wins, as protobuf parsers do; an absent status is {@code UNKNOWN}.
     *
     * @throws IllegalArgumentException when the bytes are not a valid message
     */
    public static ServingStatus responseStatus(byte[] message) {
        Reader in = new Reader(message);
        int status = 0;
        while (in.hasMore()) {
            long tag = in.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0) {
                throw new IllegalArgumentException("Health response has a field numbered 0");
            }
            if (field == STATUS_FIELD && wireType == WIRE_VARINT) {
                status = (int) in.varint();   // an enum is an int32; negative ones come as 10 bytes
            } else {
                in.skip(wireType);
            }
        }
        return ServingStatus.forNumber(status);
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** Reads protobuf wire primitives from a byte array, bounds-checked. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean hasMore() {
            return position < bytes.length;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = next();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("Health response has a varint longer than 10 bytes");
        }

        void skip(int wireType) {
            switch (wireType) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> advance(8);
                case WIRE_FIXED32 -> advance(4);
                case WIRE_LENGTH_DELIMITED -> {
                    long length = varint();
                    if (length < 0 || length > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("Health response has a bad field length " + length);
                    }
                    advance((int) length);
                }
                default -> throw new IllegalArgumentException("Health response has wire type " + wireType);
            }
        }

        private byte next() {
            if (position >= bytes.length) {
                throw new IllegalArgumentException("Health response ends inside a field");
            }
            return bytes[position++];
        }

        private void advance(int count) {
            if (count > bytes.length - position) {
                throw new IllegalArgumentException("Health response ends inside a field");
            }
            position += count;
        }
    }
}
