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
    private static final byte[][] NO_ENTRIES = new byte[0][];

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

    /** The application's metadata in grpc-api's serialized form: names and values alternating, maybe null-padded. */
    static byte[][] serialize(Metadata metadata) {
        return InternalMetadata.headerCount(metadata) == 0 ? NO_ENTRIES : InternalMetadata.serialize(metadata);
    }

    /** How many name/value pairs {@code serialized} holds. */
    static int entries(byte[][] serialized) {
        int pairs = 0;
        while (2 * pairs + 1 < serialized.length && serialized[2 * pairs] != null) {
            pairs++;
        }
        return pairs;
    }

    /**
     * Writes the application's metadata into {@code headers} from index {@code from}, as
     * alternating names and values, skipping reserved names.
     *
     * @return the index after the last value written
     */
    static int appendTo(byte[][] serialized, AsciiString[] headers, int from) {
        int n = from;
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
            headers[n++] = key;
            headers[n++] = new AsciiString(value, false);
        }
        return n;
    }

    /**
     * Builds {@link Metadata} from received headers, leaving out pseudo-headers and, for
     * trailers, {@code grpc-status} and {@code grpc-message}, which become the {@code Status}.
     * Undecodable {@code -bin} values are dropped.
     */
    static Metadata toMetadata(Http2Headers headers, boolean trailers) {
        if (headers instanceof ResponseHeaders flat) {
            return toMetadata(flat, trailers);
        }
        byte[][] entries = new byte[headers.size() * 2][];
        int n = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iterator(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            n = addEntry(entries, n, header.getKey(), header.getValue(), trailers);
        }
        return InternalMetadata.newMetadata(n / 2, entries);
    }

    /** As above, indexing the flat list directly: no iterator, no entry objects. */
    private static Metadata toMetadata(ResponseHeaders headers, boolean trailers) {
        int size = headers.size();
        byte[][] entries = null;
        int n = 0;
        for (int i = 0; i < size; i++) {
            CharSequence name = headers.name(i);
            if (name.length() == 0 || name.charAt(0) == ':'
                    || trailers && (GRPC_STATUS.contentEquals(name) || GRPC_MESSAGE.contentEquals(name))) {
                continue;   // sized after these, so that most trailers allocate no array at all
            }
            if (entries == null) {
                entries = new byte[(size - i) * 2][];
            }
            n = addEntry(entries, n, name, headers.value(i), trailers);
        }
        return n == 0 ? new Metadata() : InternalMetadata.newMetadata(n / 2, entries);
    }

    /** Adds one received header unless it is a pseudo-header or a trailer's status; returns the next index. */
    private static int addEntry(byte[][] entries, int n, CharSequence key, CharSequence text, boolean trailers) {
        byte[] name = bytes(key);
        if (name.length == 0 || name[0] == ':') {
            return n;
        }
        if (trailers && (GRPC_STATUS.contentEquals(key) || GRPC_MESSAGE.contentEquals(key))) {
            return n;
        }
        byte[] value = bytes(text);
        if (endsWithBin(name)) {
            try {
                value = BASE64_IN.decode(value);
            } catch (IllegalArgumentException e) {
                return n;
            }
        }
        entries[n++] = name;
        entries[n++] = value;
        return n;
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
