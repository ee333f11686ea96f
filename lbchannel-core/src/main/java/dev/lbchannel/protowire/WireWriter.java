package dev.lbchannel.protowire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes protobuf wire primitives into a growing byte array. Fields at their proto3 default are
 * the caller's to leave out, as protobuf's own writers do. Not thread-safe; one per message.
 */
public final class WireWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(32);

    public WireWriter varintField(int field, long value) {
        tag(field, WireReader.VARINT);
        varint(value);
        return this;
    }

    public WireWriter doubleField(int field, double value) {
        tag(field, WireReader.FIXED64);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    public WireWriter stringField(int field, String value) {
        return bytesField(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-delimited field: bytes, or an encoded nested message. */
    public WireWriter bytesField(int field, byte[] value) {
        tag(field, WireReader.LENGTH_DELIMITED);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
