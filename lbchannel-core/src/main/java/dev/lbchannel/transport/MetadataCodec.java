package dev.lbchannel.transport;

import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Converts between {@link Metadata} and HTTP/2 header lists as PROTOCOL-HTTP2 says: ASCII values
 * as they are, {@code -bin} values base64 (sent unpadded, read padded or not). Drops the headers
 * gRPC and HTTP/2 reserve, so an application can never set them. Stateless.
 *
 * <p>Uses grpc-api's {@link InternalMetadata} serialized form, which avoids a String per entry.
 */
final class MetadataCodec {

    private static final byte[] BIN_SUFFIX = "-bin".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final Base64.Encoder BASE64_OUT = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_IN = Base64.getDecoder();

    static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
    static final AsciiString GRPC_ENCODING = AsciiString.cached("grpc-encoding");
    static final AsciiString GRPC_ACCEPT_ENCODING = AsciiString.cached("grpc-accept-encoding");
    static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
    static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
    static final AsciiString TE = AsciiString.cached("te");
    static final AsciiString USER_AGENT = AsciiString.cached("user-agent");

    /** Never taken from application metadata: set by the transport, or illegal in HTTP/2. */
    private static final Set<AsciiString> RESERVED_OUTBOUND = Set.of(
            CONTENT_TYPE, TE, USER_AGENT, GRPC_TIMEOUT, GRPC_ENCODING, GRPC_ACCEPT_ENCODING,
            GRPC_STATUS, GRPC_MESSAGE, AsciiString.cached("host"), AsciiString.cached("connection"),
            AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
            AsciiString.cached("transfer-encoding"), AsciiString.cached("upgrade"));

    private MetadataCodec() {
    }

    /** Appends the application's metadata to {@code headers}, skipping reserved names. */
    static void appendTo(Metadata metadata, Http2Headers headers) {
        byte[][] serialized = InternalMetadata.serialize(metadata);
        for (int i = 0; i + 1 < serialized.length; i += 2) {
            byte[] name = serialized[i];
            if (name == null) {
                break;
            }
            AsciiString key = new AsciiString(name, false);
            if (name.length == 0 || name[0] == ':' || RESERVED_OUTBOUND.contains(key)) {
                continue;
            }
            byte[] value = serialized[i + 1];
            if (endsWithBin(name)) {
                value = BASE64_OUT.encode(value);
            }
            headers.add(key, new AsciiString(value, false));
        }
    }

    /**
     * Builds {@link Metadata} from received headers, leaving out pseudo-headers and, for
     * trailers, {@code grpc-status} and {@code grpc-message}, which become the {@code Status}.
     * Undecodable {@code -bin} values are dropped.
     */
    static Metadata toMetadata(Http2Headers headers, boolean trailers) {
        byte[][] entries = new byte[headers.size() * 2][];
        int n = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iterator(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            byte[] name = bytes(header.getKey());
            if (name.length == 0 || name[0] == ':') {
                continue;
            }
            if (trailers && (GRPC_STATUS.contentEquals(header.getKey())
                    || GRPC_MESSAGE.contentEquals(header.getKey()))) {
                continue;
            }
            byte[] value = bytes(header.getValue());
            if (endsWithBin(name)) {
                try {
                    value = BASE64_IN.decode(value);
                } catch (IllegalArgumentException e) {
                    continue;
                }
            }
            entries[n++] = name;
            entries[n++] = value;
        }
        return InternalMetadata.newMetadata(n / 2, entries);
    }

    private static boolean endsWithBin(byte[] name) {
        int offset = name.length - BIN_SUFFIX.length;
        if (offset < 0) {
            return false;
        }
        for (int i = 0; i < BIN_SUFFIX.length; i++) {
            if (name[offset + i] != BIN_SUFFIX[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] bytes(CharSequence text) {
        if (text instanceof AsciiString ascii) {
            return ascii.isEntireArrayUsed() ? ascii.array() : ascii.toByteArray();
        }
        return text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
