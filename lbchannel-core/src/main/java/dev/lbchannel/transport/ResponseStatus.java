package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns what a server sent into a {@link Status}: HTTP status codes per gRPC's
 * http-grpc-status-mapping.md, {@code grpc-status} and the percent-encoded {@code grpc-message}
 * per PROTOCOL-HTTP2.md, and RST_STREAM error codes per the HTTP/2 to gRPC mapping. Never puts a
 * header value other than {@code grpc-message} into a description. Stateless.
 */
final class ResponseStatus {

    private static final AsciiString GRPC_CONTENT_TYPE = AsciiString.cached("application/grpc");

    private ResponseStatus() {
    }

    /** The gRPC code an HTTP status maps to when a response is not gRPC's (mapping doc). */
    static Status fromHttpStatus(int httpStatus) {
        Status.Code code = switch (httpStatus) {
            case 400 -> Status.Code.INTERNAL;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.UNIMPLEMENTED;
            case 429, 502, 503, 504 -> Status.Code.UNAVAILABLE;
            default -> Status.Code.UNKNOWN;
        };
        return Status.fromCode(code).withDescription("HTTP status code " + httpStatus);
    }

    /**
     * Checks the first HEADERS of a response: {@code :status} 200 and a gRPC content-type.
     *
     * @return the error to close the stream with, or {@code null} when the headers are fine
     */
    static @Nullable Status checkResponseHeaders(Http2Headers headers) {
        CharSequence statusText = headers.status();
        if (statusText == null) {
            return Status.INTERNAL.withDescription("Response has no :status");
        }
        int httpStatus = parseInt(statusText);
        if (httpStatus != 200) {
            return httpStatus < 0
                    ? Status.INTERNAL.withDescription("Response has a malformed :status")
                    : fromHttpStatus(httpStatus);
        }
        CharSequence contentType = headers.get(MetadataCodec.CONTENT_TYPE);
        if (!isGrpcContentType(contentType)) {
            return Status.UNKNOWN.withDescription(contentType == null
                    ? "Response has no content-type" : "Response content-type is not application/grpc");
        }
        return null;
    }

    /** Whether {@code contentType} is {@code application/grpc}, alone or with a +suffix or ;parameters. */
    static boolean isGrpcContentType(@Nullable CharSequence contentType) {
        if (contentType == null) {
            return false;
        }
        AsciiString type = AsciiString.of(contentType).toLowerCase();
        if (!type.startsWith(GRPC_CONTENT_TYPE)) {
            return false;
        }
        if (type.length() == GRPC_CONTENT_TYPE.length()) {
            return true;
        }
        char next = type.charAt(GRPC_CONTENT_TYPE.length());
        return next == '+' || next == ';';
    }

    /** The status carried by trailers (or a trailers-only response); UNKNOWN when grpc-status is missing. */
    static Status fromTrailers(Http2Headers trailers) {
        CharSequence code = trailers.get(MetadataCodec.GRPC_STATUS);
        if (code == null) {
            return Status.UNKNOWN.withDescription("Response trailers have no grpc-status");
        }
        // One or two digits, as grpc-java reads it: "0000" is no code of gRPC's
        int value = code.length() <= 2 ? parseInt(code) : -1;
        if (value < 0) {
            return Status.UNKNOWN.withDescription("Response trailers have a malformed grpc-status");
        }
        Status status = Status.fromCodeValue(value);
        CharSequence message = trailers.get(MetadataCodec.GRPC_MESSAGE);
        return message == null ? status : status.withDescription(percentDecode(message));
    }

    /** The status for a RST_STREAM from the server, per the HTTP/2 error code mapping. */
    static Status fromRstStream(long errorCode) {
        Http2Error error = Http2Error.valueOf(errorCode);
        Status.Code code = error == null ? Status.Code.INTERNAL : switch (error) {
            case REFUSED_STREAM -> Status.Code.UNAVAILABLE;
            case CANCEL -> Status.Code.CANCELLED;
            case ENHANCE_YOUR_CALM -> Status.Code.RESOURCE_EXHAUSTED;
            case INADEQUATE_SECURITY -> Status.Code.PERMISSION_DENIED;
            case HTTP_1_1_REQUIRED -> Status.Code.UNKNOWN;   // as grpc-java; gRPC's table stops before it
            default -> Status.Code.INTERNAL;
        };
        return Status.fromCode(code).withDescription("Stream reset by server: "
                + (error == null ? "error code " + errorCode : error.name()));
    }

    /**
     * Decodes {@code grpc-message}: percent-encoded UTF-8. A malformed escape is kept as it is
     * rather than failing the RPC, and bytes a server should have escaped (controls, non-ASCII)
     * are read as UTF-8 too, as grpc-java reads them.
     */
    static String percentDecode(CharSequence text) {
        if (!needsDecoding(text)) {
            return text.toString();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(c & 0xff);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether {@code text} has an escape, or a byte outside printable ASCII, to decode. */
    private static boolean needsDecoding(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c >= '~' || (c == '%' && i + 2 < text.length())) {
                return true;
            }
        }
        return false;
    }

    /** Parses a non-negative decimal of up to nine digits; -1 when malformed. */
    static int parseInt(CharSequence text) {
        int length = text.length();
        if (length == 0 || length > 9) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
