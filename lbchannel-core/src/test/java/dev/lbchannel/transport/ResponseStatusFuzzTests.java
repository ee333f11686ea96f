package dev.lbchannel.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.grpc.InternalMetadata;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the decoding of a response's headers and trailers into a status, against grpc-java's own
 * decoding of {@code grpc-status} and {@code grpc-message} (its metadata keys) and against gRPC's
 * http-grpc-status-mapping for the first headers. For any bytes: {@code grpc-message} decodes to
 * what grpc-java decodes, {@code grpc-status} gives grpc-java's code, {@code :status} and
 * {@code content-type} give the mapping's code, and nothing throws.
 *
 * <p>grpc-java reads a {@code %} escape with {@code Integer.parseInt}, so it takes a sign for a
 * hex digit ({@code %+5}, {@code %-1}); percent-encoding has no signs, and inputs with one are left
 * out of the comparison.
 *
 * <p>Runs over the committed inputs in {@code ResponseStatusFuzzTestsInputs} in every build; fuzzes
 * with {@code JAZZER_FUZZ=1} (see {@code lbchannel-core/fuzz.sh}).
 */
class ResponseStatusFuzzTests {

    private static final byte[] GRPC_MESSAGE = "grpc-message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GRPC_STATUS = "grpc-status".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest
    void decodesAsGrpcJavaAndTheMappingSay(FuzzedDataProvider data) {
        byte[] httpStatus = data.consumeBytes(data.consumeInt(0, 4));
        byte[] contentType = data.consumeBytes(data.consumeInt(0, 40));
        boolean hasCode = data.consumeBoolean();
        byte[] code = data.consumeBytes(data.consumeInt(0, 4));
        byte[] message = data.consumeRemainingAsBytes();

        Http2Headers headers = new DefaultHttp2Headers(false).status(new AsciiString(httpStatus, false))
                .add("content-type", new AsciiString(contentType, false));
        Status checked = ResponseStatus.checkResponseHeaders(headers);
        assertThat(checked == null ? null : checked.getCode())
                .isEqualTo(mappedCode(ascii(httpStatus), ascii(contentType)));

        Http2Headers trailers = new DefaultHttp2Headers(false).add("grpc-message", new AsciiString(message, false));
        if (hasCode) {
            trailers.add("grpc-status", new AsciiString(code, false));
        }
        Status ours = ResponseStatus.fromTrailers(trailers);
        Metadata theirs = InternalMetadata.newMetadata(GRPC_MESSAGE, message, GRPC_STATUS, code);
        if (hasCode) {
            assertThat(ours.getCode()).as("grpc-status %s", ascii(code))
                    .isEqualTo(theirs.get(InternalStatus.CODE_KEY).getCode());
        } else {
            assertThat(ours.getCode()).isEqualTo(Status.Code.UNKNOWN);
        }
        if (!signedEscape(message)) {
            assertThat(ResponseStatus.percentDecode(new AsciiString(message, false)))
                    .isEqualTo(theirs.get(InternalStatus.MESSAGE_KEY));
        }
    }

    /** http-grpc-status-mapping.md: the code a first HEADERS gives, or {@code null} when it is fine. */
    private static Status.Code mappedCode(String httpStatus, String contentType) {
        if (!httpStatus.matches("[0-9]{1,9}")) {
            return Status.Code.INTERNAL;
        }
        return switch (Integer.parseInt(httpStatus)) {
            case 200 -> contentType.toLowerCase(java.util.Locale.ROOT).matches("application/grpc([+;].*)?")
                    ? null : Status.Code.UNKNOWN;
            case 400 -> Status.Code.INTERNAL;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.UNIMPLEMENTED;
            case 429, 502, 503, 504 -> Status.Code.UNAVAILABLE;
            default -> Status.Code.UNKNOWN;
        };
    }

    private static boolean signedEscape(byte[] value) {
        for (int i = 0; i + 1 < value.length; i++) {
            if (value[i] == '%' && (value[i + 1] == '+' || value[i + 1] == '-')) {
                return true;
            }
        }
        return false;
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
