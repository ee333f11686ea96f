package dev.lbchannel.protowire;

import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf wire primitives from a byte array (or a slice of one, for a nested message),
 * bounds-checked: every malformed input is an {@link IllegalArgumentException} naming the message,
 * never an index error. Not thread-safe; one per message read.
 */
public final class WireReader {

    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LENGTH_DELIMITED = 2;
    public static final int FIXED32 = 5;

    private final byte[] bytes;
    private final int end;
    private final String message;
    private int position;
    private int lastTag;

    /** @param message what errors call the bytes, such as {@code "Health response"} */
    public WireReader(byte[] bytes, String message) {
        this(bytes, 0, bytes.length, message);
    }

    private WireReader(byte[] bytes, int start, int end, String message) {
        this.bytes = bytes;
        this.position = start;
        this.end = end;
        this.message = message;
    }

    public boolean hasMore() {
        return position < end;
    }

    /**
     * Reads the next field's tag and returns its field number; {@link #wireType()} then says how
     * its value is encoded.
     */
    public int nextField() {
        long tag = varint();
        int field = (int) (tag >>> 3);
        if (field <= 0) {
            throw malformed("has a field numbered " + field);
        }
        lastTag = (int) tag;
        return field;
    }

    /** The wire type of the field {@link #nextField()} read last. */
    public int wireType() {
        return lastTag & 7;
    }

    public long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = next();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw malformed("has a varint longer than 10 bytes");
    }

    /** A {@code double} field's value (fixed64, little-endian). */
    public double fixed64Double() {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (long) (next() & 0xFF) << (8 * i);
        }
        return Double.longBitsToDouble(bits);
    }

    /** A {@code string} field's value. */
    public String string() {
        int length = length();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** A nested message's bytes, as a reader of their own; this reader moves past them. */
    public WireReader nested() {
        int length = length();
        WireReader inner = new WireReader(bytes, position, position + length, message);
        position += length;
        return inner;
    }

    /** Skips the value of the field {@link #nextField()} read last, as its wire type says. */
    public void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case FIXED32 -> advance(4);
            case LENGTH_DELIMITED -> advance(length());
            default -> throw malformed("has wire type " + wireType());
        }
    }

    /** The error for a value of the wrong wire type, or otherwise unusable. */
    public IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException(message + " " + what);
    }

    private int length() {
        long length = varint();
        if (length < 0 || length > end - position) {
            throw malformed(length < 0 ? "has a bad field length " + length : "ends inside a field");
        }
        return (int) length;
    }

    private byte next() {
        if (position >= end) {
            throw malformed("ends inside a field");
        }
        return bytes[position++];
    }

    private void advance(int count) {
        if (count > end - position) {
            throw malformed("ends inside a field");
        }
        position += count;
    }
}
