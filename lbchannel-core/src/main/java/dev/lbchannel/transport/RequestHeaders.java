package dev.lbchannel.transport;

import io.grpc.Metadata;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

/**
 * Builds a request's HEADERS in the order PROTOCOL-HTTP2 gives: pseudo-headers, then {@code te},
 * {@code content-type}, {@code user-agent}, {@code grpc-encoding}, {@code grpc-accept-encoding},
 * {@code grpc-timeout}, then the application's metadata. Values are {@link AsciiString}s, most of
 * them constants, and the header list skips validation: every value here is known to be legal.
 * Stateless; runs on the caller's thread.
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
        Http2Headers headers = new DefaultHttp2Headers(false, 16);
        headers.method(POST).scheme(scheme).path(path).authority(authority);
        headers.add(MetadataCodec.TE, TRAILERS);
        headers.add(MetadataCodec.CONTENT_TYPE, APPLICATION_GRPC);
        headers.add(MetadataCodec.USER_AGENT, userAgent);
        if (compressor != null && !IDENTITY.contentEquals(compressor)) {
            headers.add(MetadataCodec.GRPC_ENCODING, GZIP.contentEquals(compressor) ? GZIP : new AsciiString(compressor));
        }
        if (acceptEncoding != null) {
            headers.add(MetadataCodec.GRPC_ACCEPT_ENCODING, acceptEncoding);
        }
        if (deadlineNanos >= 0) {
            headers.add(MetadataCodec.GRPC_TIMEOUT, GrpcTimeout.encode(deadlineNanos));
        }
        MetadataCodec.appendTo(metadata, headers);
        return headers;
    }
}
