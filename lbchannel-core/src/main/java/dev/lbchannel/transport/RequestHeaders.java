package dev.lbchannel.transport;

import io.grpc.Metadata;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

/**
 * Builds a request's HEADERS in the order PROTOCOL-HTTP2 gives: pseudo-headers, then {@code te},
 * {@code content-type}, {@code user-agent}, {@code grpc-encoding}, {@code grpc-accept-encoding},
 * {@code grpc-timeout}, then the application's metadata. Values are {@link AsciiString}s, most of
 * them constants, and the header list skips validation: every value here is known to be legal.
 *
 * <p>The list is Netty's flat, read-only {@link ReadOnlyHttp2Headers}: one array of name/value
 * pairs that HPACK walks once, instead of a hash table with an entry object per header, which
 * was the largest allocation of a unary call. Stateless; runs on the caller's thread.
 */
final class RequestHeaders {

    static final AsciiString HTTP = AsciiString.cached("http");
    static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString POST = AsciiString.cached("POST");
    private static final AsciiString TRAILERS = AsciiString.cached("trailers");
    private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
    private static final AsciiString IDENTITY = AsciiString.cached("identity");
    private static final AsciiString GZIP = AsciiString.cached("gzip");

    private RequestHeaders() {
    }

    /**
     * @param compressor the name of the message encoding, or {@code null} for none
     * @param acceptEncoding the encodings this client decodes, comma-separated, or {@code null}
     * @param deadlineNanos remaining time, or negative for no deadline
     */
    static Http2Headers create(AsciiString scheme, AsciiString path, AsciiString authority,
            AsciiString userAgent, @Nullable String compressor, @Nullable AsciiString acceptEncoding,
            long deadlineNanos, Metadata metadata) {
        byte[][] serialized = MetadataCodec.serialize(metadata);
        boolean encoded = compressor != null && !IDENTITY.contentEquals(compressor);
        int pairs = 3 + (encoded ? 1 : 0) + (acceptEncoding != null ? 1 : 0) + (deadlineNanos >= 0 ? 1 : 0)
                + MetadataCodec.entries(serialized);
        AsciiString[] others = new AsciiString[2 * pairs];
        int n = 0;
        others[n++] = MetadataCodec.TE;
        others[n++] = TRAILERS;
        others[n++] = MetadataCodec.CONTENT_TYPE;
        others[n++] = APPLICATION_GRPC;
        others[n++] = MetadataCodec.USER_AGENT;
        others[n++] = userAgent;
        if (encoded) {
            others[n++] = MetadataCodec.GRPC_ENCODING;
            others[n++] = GZIP.contentEquals(compressor) ? GZIP : new AsciiString(compressor);
        }
        if (acceptEncoding != null) {
            others[n++] = MetadataCodec.GRPC_ACCEPT_ENCODING;
            others[n++] = acceptEncoding;
        }
        if (deadlineNanos >= 0) {
            others[n++] = MetadataCodec.GRPC_TIMEOUT;
            others[n++] = GrpcTimeout.encode(deadlineNanos);
        }
        n = MetadataCodec.appendTo(serialized, others, n);
        if (n < others.length) {
            others = java.util.Arrays.copyOf(others, n); // the application set reserved names
        }
        return ReadOnlyHttp2Headers.clientHeaders(false, POST, path, scheme, authority, others);
    }
}
