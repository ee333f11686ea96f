package dev.lbchannel.transport.hpack;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

/**
 * The names and values gRPC servers send over and over ({@code grpc-status: 0},
 * {@code content-type: application/grpc}, {@code grpc-encoding: identity}, …), one shared instance
 * each. A decoded string that is one of them is that instance: a dynamic table entry then costs a
 * connection no bytes of its own, and a trailer a server sends without indexing allocates nothing.
 * Their arrays reach {@code Metadata} uncopied, as Netty's static-table strings did: nothing in
 * gRPC writes into a received header's bytes.
 */
final class KnownStrings {

    private static final AsciiString[] STRINGS = {
        AsciiString.cached("0"),
        AsciiString.cached("te"),
        AsciiString.cached("gzip"),
        AsciiString.cached("deflate"),
        AsciiString.cached("identity"),
        AsciiString.cached("trailers"),
        AsciiString.cached("grpc-status"),
        AsciiString.cached("grpc-message"),
        AsciiString.cached("grpc-encoding"),
        AsciiString.cached("application/grpc"),
        AsciiString.cached("grpc-accept-encoding"),
        AsciiString.cached("identity,deflate,gzip"),
        AsciiString.cached("application/grpc+proto"),
    };

    private KnownStrings() {
    }

    /** The shared instance equal to {@code length} bytes of {@code in} from {@code index}, if any. */
    static @Nullable AsciiString find(ByteBuf in, int index, int length) {
        for (AsciiString known : STRINGS) {
            if (known.length() == length && equal(known, in, index)) {
                return known;
            }
        }
        return null;
    }

    /** The shared instance equal to the first {@code length} bytes of {@code bytes}, if any. */
    static @Nullable AsciiString find(byte[] bytes, int length) {
        for (AsciiString known : STRINGS) {
            if (known.length() == length && equal(known, bytes)) {
                return known;
            }
        }
        return null;
    }

    private static boolean equal(AsciiString known, ByteBuf in, int index) {
        for (int i = 0; i < known.length(); i++) {
            if (known.byteAt(i) != in.getByte(index + i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean equal(AsciiString known, byte[] bytes) {
        for (int i = 0; i < known.length(); i++) {
            if (known.byteAt(i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
