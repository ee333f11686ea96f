package dev.lbchannel.reliability;

import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawExchange;
import io.grpc.Status.Code;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static dev.lbchannel.reliability.MalformedResponse.connection;
import static dev.lbchannel.reliability.MalformedResponse.stream;
import static dev.lbchannel.testing.RawHttp2Server.frame;
import static dev.lbchannel.testing.RawHttp2Server.grpcHeaders;
import static dev.lbchannel.testing.RawHttp2Server.grpcTrailers;

/**
 * The table of malformed answers: HTTP statuses without gRPC's (http-grpc-status-mapping),
 * broken {@code grpc-status} and {@code grpc-message}, content types, length prefixes and
 * compression, metadata sizes, every RST_STREAM code (PROTOCOL-HTTP2's error code table),
 * GOAWAY, and SETTINGS and frames that break HTTP/2 itself.
 */
final class MalformedResponses {

    private static final byte[] MESSAGE = "hello".getBytes(StandardCharsets.US_ASCII);
    /** Larger than both clients' default inbound message limit of 4 MiB. */
    private static final int OVER_MESSAGE_LIMIT = 5 * 1024 * 1024;

    private MalformedResponses() {
    }

    static List<MalformedResponse> all() {
        List<MalformedResponse> all = new ArrayList<>();
        all.addAll(httpStatuses());
        all.addAll(grpcStatuses());
        all.addAll(contentTypes());
        all.addAll(messages());
        all.addAll(metadata());
        all.addAll(resets());
        all.addAll(connectionFaults());
        return all;
    }

    /** A well-formed answer, the control: also what proves a connection survived a case. */
    static MalformedResponse wellFormed() {
        return stream("well-formed answer", Code.OK, e -> e.okResponse(e.streamId(), MESSAGE));
    }

    private static List<MalformedResponse> httpStatuses() {
        return List.of(
                httpOnly(400, Code.INTERNAL), httpOnly(401, Code.UNAUTHENTICATED),
                httpOnly(403, Code.PERMISSION_DENIED), httpOnly(404, Code.UNIMPLEMENTED),
                httpOnly(429, Code.UNAVAILABLE), httpOnly(500, Code.UNKNOWN), httpOnly(502, Code.UNAVAILABLE),
                httpOnly(503, Code.UNAVAILABLE), httpOnly(504, Code.UNAVAILABLE),
                stream("HTTP 503 with an HTML body", Code.UNAVAILABLE, e -> e.headers(
                        new DefaultHttp2Headers().status("503").add("content-type", "text/html"), false)
                        .data("<h1>Service Unavailable</h1>".getBytes(StandardCharsets.US_ASCII), true)),
                stream("HTTP 401 with a gRPC content type and no grpc-status", Code.UNAUTHENTICATED,
                        e -> e.headers(new DefaultHttp2Headers().status("401").add("content-type", "application/grpc"),
                                true)),
                stream("HTTP 502 with a message body and no trailers", Code.UNAVAILABLE, e -> e.headers(
                        new DefaultHttp2Headers().status("502").add("content-type", "application/grpc"), false)
                        .data(frame(false, MESSAGE), true))
                        // grpc-java reads the body before the HTTP status, and fails on the missing trailers.
                        .grpcJavaGives(Code.INTERNAL));
    }

    private static MalformedResponse httpOnly(int httpStatus, Code expected) {
        return stream("HTTP " + httpStatus + " without grpc-status", expected,
                e -> e.headers(new DefaultHttp2Headers().status(Integer.toString(httpStatus)), true))
                .saying("HTTP status code " + httpStatus);
    }

    private static List<MalformedResponse> grpcStatuses() {
        return List.of(
                stream("trailers-only without grpc-status", Code.UNKNOWN, e -> e.headers(grpcHeaders(), true)),
                stream("trailers without grpc-status after a message", Code.UNKNOWN,
                        e -> e.headers(grpcHeaders(), false).data(frame(false, MESSAGE), false)
                                .headers(new DefaultHttp2Headers().add("x-trailer", "1"), true)),
                stream("non-numeric grpc-status", Code.UNKNOWN, e -> e.headers(grpcHeaders(), false)
                        .data(frame(false, MESSAGE), false).headers(trailers("grpc-status", "ok"), true)),
                stream("grpc-status above 16", Code.UNKNOWN, e -> e.headers(grpcHeaders(), false)
                        .headers(trailers("grpc-status", "17"), true)),
                stream("negative grpc-status", Code.UNKNOWN, e -> e.headers(grpcHeaders(), false)
                        .headers(trailers("grpc-status", "-1"), true)),
                stream("bad percent-encoding in grpc-message", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .headers(trailers("grpc-status", "13").add("grpc-message", "50% done %zz %E2"), true))
                        .saying("%zz"),
                stream("percent-encoded UTF-8 in grpc-message", Code.NOT_FOUND, e -> e.headers(
                        grpcHeaders().add("grpc-status", "5").add("grpc-message", "no %E2%82%AC here"), true))
                        .saying("no \u20ac here"));
    }

    private static List<MalformedResponse> contentTypes() {
        return List.of(
                stream("HTTP 200 with text/html", Code.UNKNOWN, e -> e.headers(
                        new DefaultHttp2Headers().status("200").add("content-type", "text/html"), false)
                        .data("<html></html>".getBytes(StandardCharsets.US_ASCII), true)),
                stream("HTTP 200 without a content type", Code.UNKNOWN, e -> e.headers(
                        new DefaultHttp2Headers().status("200"), false).data(frame(false, MESSAGE), false)
                        .headers(grpcTrailers(0), true)),
                stream("HTTP 200 with application/json", Code.UNKNOWN, e -> e.headers(
                        new DefaultHttp2Headers().status("200").add("content-type", "application/json"), false)
                        .data("{}".getBytes(StandardCharsets.US_ASCII), true)),
                stream("application/grpc+proto is gRPC", Code.OK, e -> e.headers(
                        new DefaultHttp2Headers().status("200").add("content-type", "application/grpc+proto"), false)
                        .data(frame(false, MESSAGE), false).headers(grpcTrailers(0), true)));
    }

    private static List<MalformedResponse> messages() {
        return List.of(
                stream("length prefix over the message limit", Code.RESOURCE_EXHAUSTED, e -> e.headers(grpcHeaders(), false)
                        .data(prefix(0, OVER_MESSAGE_LIMIT), false).headers(grpcTrailers(0), true)),
                stream("stream ends inside a message", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .data(truncated(), true)),
                stream("trailers inside a message", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .data(truncated(), false).headers(grpcTrailers(0), true)),
                stream("compressed flag without grpc-encoding", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .data(frame(true, MESSAGE), false).headers(grpcTrailers(0), true)),
                stream("compressed flag with an unknown grpc-encoding", Code.INTERNAL, e -> e.headers(
                        grpcHeaders().add("grpc-encoding", "zstd-fancy"), false)
                        .data(frame(true, MESSAGE), false).headers(grpcTrailers(0), true)).saying("zstd-fancy"),
                stream("gzip garbage", Code.INTERNAL, e -> e.headers(grpcHeaders().add("grpc-encoding", "gzip"), false)
                        .data(frame(true, "not gzip at all".getBytes(StandardCharsets.US_ASCII)), false)
                        .headers(grpcTrailers(0), true))
                        // grpc-java lets the inflater's exception through as an unknown error.
                        .grpcJavaGives(Code.UNKNOWN),
                stream("gzip that inflates past the message limit", Code.RESOURCE_EXHAUSTED, e -> e.headers(
                        grpcHeaders().add("grpc-encoding", "gzip"), false)
                        .data(frame(true, gzip(new byte[OVER_MESSAGE_LIMIT])), false).headers(grpcTrailers(0), true))
                        // grpc-java inflates in the application's thread, where the limit cancels the call.
                        .grpcJavaGives(Code.CANCELLED),
                stream("well-formed gzip", Code.OK, e -> e.headers(grpcHeaders().add("grpc-encoding", "gzip"), false)
                        .data(frame(true, gzip(MESSAGE)), false).headers(grpcTrailers(0), true)),
                stream("reserved bits in the message flags", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .data(prefix(2, 0), false).headers(grpcTrailers(0), true)),
                // The stub refuses the second message from onMessage; the channel cancels the call for it.
                stream("two messages for a unary call", Code.CANCELLED, e -> e.headers(grpcHeaders(), false)
                        .data(frame(false, MESSAGE), false).data(frame(false, MESSAGE), false)
                        .headers(grpcTrailers(0), true)),
                stream("no message for a unary call", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .headers(grpcTrailers(0), true)),
                stream("DATA before HEADERS", Code.INTERNAL, e -> e.raw(data(e.streamId(), frame(false, MESSAGE)))
                        .headers(grpcHeaders(), false).headers(grpcTrailers(0), true))
                        // grpc-java fails the whole connection for it, where a stream error is enough.
                        .grpcJavaGives(Code.INTERNAL),
                stream("DATA after the trailers", Code.OK, e -> e.okResponse(e.streamId(), MESSAGE)
                        .raw(RawExchange.rawFrame(0x0, 0x1, e.streamId(), frame(false, MESSAGE)))));
    }

    private static byte[] data(int stream, byte[] payload) {
        return RawExchange.rawFrame(0x0, 0, stream, payload);
    }

    private static List<MalformedResponse> metadata() {
        String big = "x".repeat(4000);
        return List.of(
                // grpc-java's Netty enforces its header list limit as a connection error.
                stream("response headers over the metadata limit", Code.RESOURCE_EXHAUSTED, e -> e.headers(
                        grpcHeaders().add("a1", big).add("a2", big).add("a3", big), false)
                        .data(frame(false, MESSAGE), false).headers(grpcTrailers(0), true))
                        .grpcJavaGives(Code.INTERNAL),
                stream("trailers over the metadata limit", Code.RESOURCE_EXHAUSTED, e -> e.headers(grpcHeaders(), false)
                        .data(frame(false, MESSAGE), false)
                        .headers(grpcTrailers(0).add("a1", big).add("a2", big).add("a3", big), true))
                        .grpcJavaGives(Code.INTERNAL),
                stream("an upper-case header name", Code.INTERNAL, e -> e.headers(
                        new DefaultHttp2Headers(false).status("200").add("content-type", "application/grpc")
                                .add("X-Upper", "1"), false).headers(grpcTrailers(0), true)),
                stream("no :status", Code.INTERNAL, e -> e.headers(
                        new DefaultHttp2Headers(false).add("content-type", "application/grpc"), false)
                        .headers(grpcTrailers(0), true)),
                stream("a second HEADERS block before the trailers", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .raw(RawExchange.rawFrame(0x1, 0x4, e.streamId(), STATUS_200_GRPC)).headers(grpcTrailers(0), true)));
    }

    /** PROTOCOL-HTTP2's table from RST_STREAM codes to statuses, and a code HTTP/2 does not define. */
    private static List<MalformedResponse> resets() {
        List<MalformedResponse> resets = new ArrayList<>();
        for (Http2Error error : Http2Error.values()) {
            Code expected = switch (error) {
                case REFUSED_STREAM -> Code.UNAVAILABLE;
                case CANCEL -> Code.CANCELLED;
                case ENHANCE_YOUR_CALM -> Code.RESOURCE_EXHAUSTED;
                case INADEQUATE_SECURITY -> Code.PERMISSION_DENIED;
                case HTTP_1_1_REQUIRED -> Code.UNKNOWN;
                default -> Code.INTERNAL;
            };
            MalformedResponse reset = stream("RST_STREAM " + error, expected,
                    e -> e.headers(grpcHeaders(), false).rst(error));
            // grpc-java reads NO_ERROR as a graceful end and so retryable, where the document says INTERNAL.
            resets.add(error == Http2Error.NO_ERROR ? reset.grpcJavaGives(Code.UNAVAILABLE) : reset);
        }
        // RFC 9113 section 7: an unknown code may be treated as INTERNAL_ERROR.
        resets.add(stream("RST_STREAM with an undefined code", Code.INTERNAL,
                e -> e.headers(grpcHeaders(), false).rst(0x99)));
        return resets;
    }

    private static List<MalformedResponse> connectionFaults() {
        return List.of(
                connection("GOAWAY NO_ERROR refusing the call", Code.UNAVAILABLE,
                        e -> e.goAway(0, Http2Error.NO_ERROR, "draining")),
                connection("GOAWAY PROTOCOL_ERROR covering the call, then close", Code.UNAVAILABLE,
                        e -> e.headers(grpcHeaders(), false).goAway(e.streamId(), Http2Error.PROTOCOL_ERROR, "bad")
                                .closeConnection())
                        // grpc-java gives the GOAWAY's code's status; lbchannel the lost connection's, which may be retried.
                        .grpcJavaGives(Code.INTERNAL),
                connection("connection closed without GOAWAY", Code.UNAVAILABLE,
                        e -> e.headers(grpcHeaders(), false).closeConnection()),
                connection("SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1", Code.INTERNAL,
                        e -> e.raw(RawExchange.rawFrame(0x4, 0, 0, setting(0x4, 0x8000_0000L)))),
                connection("SETTINGS_MAX_FRAME_SIZE below 16384", Code.INTERNAL,
                        e -> e.raw(RawExchange.rawFrame(0x4, 0, 0, setting(0x5, 1024)))),
                connection("SETTINGS_ENABLE_PUSH of 2", Code.INTERNAL,
                        e -> e.raw(RawExchange.rawFrame(0x4, 0, 0, setting(0x2, 2)))),
                connection("SETTINGS of a length not a multiple of 6", Code.INTERNAL,
                        e -> e.raw(RawExchange.rawFrame(0x4, 0, 0, new byte[5]))),
                connection("SETTINGS on a stream", Code.INTERNAL,
                        e -> e.raw(RawExchange.rawFrame(0x4, 0, e.streamId(), new byte[0]))),
                connection("PUSH_PROMISE to a client that disabled push", Code.INTERNAL,
                        e -> e.headers(grpcHeaders(), false)
                                .raw(RawExchange.rawFrame(0x5, 0x4, e.streamId(), new byte[] {0, 0, 0, 2}))),
                connection("a frame over SETTINGS_MAX_FRAME_SIZE", Code.INTERNAL,
                        e -> e.headers(grpcHeaders(), false)
                                .raw(RawExchange.rawFrame(0x0, 0, e.streamId(), new byte[16_385]))),
                stream("WINDOW_UPDATE of zero on the stream", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .raw(RawExchange.rawFrame(0x8, 0, e.streamId(), new byte[4]))),
                // RFC 9113 section 5.1: a frame for a stream in the idle state is a connection error.
                connection("DATA for a stream the client never opened", Code.INTERNAL, e -> e.headers(grpcHeaders(), false)
                        .raw(RawExchange.rawFrame(0x0, 0, e.streamId() + 200, frame(false, MESSAGE)))),
                connection("RST_STREAM for a stream the client never opened", Code.INTERNAL,
                        e -> e.headers(grpcHeaders(), false)
                                .raw(RawExchange.rawFrame(0x3, 0, e.streamId() + 200, new byte[] {0, 0, 0, 8}))),
                connection("HEADERS on a stream of the server's (push is off)", Code.INTERNAL,
                        e -> e.headers(grpcHeaders(), false).raw(RawExchange.rawFrame(0x1, 0x4, 2, STATUS_200_GRPC))));
    }

    /** An HPACK block of {@code :status: 200} (static index 8) and {@code content-type: application/grpc}, not indexed. */
    private static final byte[] STATUS_200_GRPC = hpackStatus200Grpc();

    private static byte[] hpackStatus200Grpc() {
        byte[] value = "application/grpc".getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[4 + value.length];
        block[0] = (byte) 0x88;   // indexed :status 200
        block[1] = 0x0f;          // literal without indexing, name index 31 (content-type) = 15 + 16
        block[2] = 0x10;
        block[3] = (byte) value.length;
        System.arraycopy(value, 0, block, 4, value.length);
        return block;
    }

    private static Http2Headers trailers(String name, String value) {
        return new DefaultHttp2Headers().add(name, value);
    }

    /** Only a message's five-byte prefix: its flags and a length. */
    private static byte[] prefix(int flags, int length) {
        return new byte[] {(byte) flags, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                (byte) length};
    }

    /** A message announced as 10 bytes of which 3 arrive. */
    private static byte[] truncated() {
        byte[] out = new byte[8];
        System.arraycopy(frame(false, new byte[10]), 0, out, 0, 8);
        return out;
    }

    private static byte[] setting(int id, long value) {
        return new byte[] {(byte) (id >>> 8), (byte) id, (byte) (value >>> 24), (byte) (value >>> 16),
                (byte) (value >>> 8), (byte) value};
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
