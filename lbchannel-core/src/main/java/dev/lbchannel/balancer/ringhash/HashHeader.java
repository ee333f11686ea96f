package dev.lbchannel.balancer.ringhash;

import io.grpc.InternalMetadata;
import io.grpc.Metadata;

/**
 * The key that reads {@code requestHashHeader}'s value as the bytes the call's headers hold, not
 * as a new String, so that hashing it allocates nothing (A76 hashes the value's bytes). It uses
 * grpc-api's trusted-ASCII form, as the transport's metadata codec does; gRPC keeps an ASCII
 * header's value as its bytes. The bytes are the headers' own: read them, never change them.
 * Stateless.
 */
final class HashHeader {

    private HashHeader() {
    }

    /** The key of the header named {@code name} (lower case, valid, not {@code -bin}). */
    static Metadata.Key<byte[]> key(String name) {
        return InternalMetadata.keyOf(name, RawBytes.INSTANCE);
    }

    /** An ASCII value as its bytes, both ways, without copying. */
    private enum RawBytes implements InternalMetadata.TrustedAsciiMarshaller<byte[]> {
        INSTANCE;

        @Override
        public byte[] toAsciiString(byte[] value) {
            return value;
        }

        @Override
        public byte[] parseAsciiString(byte[] serialized) {
            return serialized;
        }
    }
}
