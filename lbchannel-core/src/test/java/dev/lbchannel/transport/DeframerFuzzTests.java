package dev.lbchannel.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.grpc.Codec;
import io.grpc.Status;
import io.grpc.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the deframer and gzip inflation, which turn a response's DATA payloads into messages:
 * for any bytes, split into payloads anywhere, with or without {@code grpc-encoding: gzip} and
 * any inbound size limit, the messages handed out (and the error that stops them) must be what a
 * plain reading of gRPC's framing gives — each message's 5-byte prefix, invalid flags INTERNAL, a
 * declared length over the limit RESOURCE_EXHAUSTED, a compressed flag without an encoding
 * INTERNAL, gzip that does not inflate INTERNAL, inflation past the limit RESOURCE_EXHAUSTED — and
 * every buffer is released (paranoid leak detection fails the build). Only those two codes may
 * come out; any other exception is a bug.
 *
 * <p>Runs over the committed inputs in {@code DeframerFuzzTestsInputs} in every build; fuzzes with
 * {@code JAZZER_FUZZ=1} (see {@code lbchannel-core/fuzz.sh}).
 */
class DeframerFuzzTests {

    private static final int READ_CHUNK = 8192;

    @FuzzTest
    void deframesAsTheFramingSays(FuzzedDataProvider data) {
        int maxMessageSize = data.consumeInt(0, 1 << 16);
        boolean gzip = data.consumeBoolean();
        int parts = data.consumeInt(1, 8);
        int[] cuts = new int[parts - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, 1 << 12);
        }
        byte[] bytes = data.consumeRemainingAsBytes();

        List<String> expected = model(bytes, maxMessageSize, gzip);
        List<String> actual = deframe(bytes, cuts, maxMessageSize, gzip);
        assertThat(actual).isEqualTo(expected);
    }

    /** What our deframer hands out, fed {@code bytes} in parts cut at the given lengths. */
    private static List<String> deframe(byte[] bytes, int[] cuts, int maxMessageSize, boolean gzip) {
        InboundDeframer deframer = new InboundDeframer(PooledByteBufAllocator.DEFAULT, maxMessageSize);
        if (gzip) {
            deframer.encoding("gzip", new Codec.Gzip());
        }
        List<String> out = new ArrayList<>();
        try {
            int at = 0;
            for (int part = 0; part <= cuts.length; part++) {
                int length = part < cuts.length ? Math.min(cuts[part], bytes.length - at) : bytes.length - at;
                ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer(length);
                deframer.add(payload.writeBytes(bytes, at, length));
                at += length;
                if (drain(deframer, out)) {
                    return out;
                }
            }
            out.add("rest " + deframer.bufferedBytes());
            return out;
        } finally {
            deframer.close();
        }
    }

    /** Takes every whole message; true once one failed (the stream would end there). */
    private static boolean drain(InboundDeframer deframer, List<String> out) {
        while (true) {
            InputStream message;
            try {
                message = deframer.next();
            } catch (StatusException e) {
                out.add(failure(e.getStatus()));
                return true;
            }
            if (message == null) {
                return false;
            }
            try (InputStream in = message) {
                out.add(read(in));
            } catch (InboundMessageException e) {
                out.add(failure(e.getStatus()));
                return true;
            } catch (IOException e) {
                throw new AssertionError("a message may fail only with a status", e);
            }
        }
    }

    private static String read(InputStream in) throws IOException {
        StringBuilder hex = new StringBuilder("message ");
        byte[] chunk = new byte[READ_CHUNK];
        for (int n; (n = in.read(chunk, 0, chunk.length)) != -1; ) {
            hex.append(HexFormat.of().formatHex(chunk, 0, n));
        }
        return hex.toString();
    }

    /** gRPC's framing read plainly from one array, with the JDK's gzip. */
    private static List<String> model(byte[] bytes, int maxMessageSize, boolean gzip) {
        List<String> out = new ArrayList<>();
        int at = 0;
        while (bytes.length - at >= 5) {
            int flags = bytes[at] & 0xff;
            long length = ((bytes[at + 1] & 0xffL) << 24) | ((bytes[at + 2] & 0xff) << 16)
                    | ((bytes[at + 3] & 0xff) << 8) | (bytes[at + 4] & 0xff);
            if (flags > 1) {
                out.add(failure(Status.INTERNAL));
                return out;
            }
            if (length > maxMessageSize) {
                out.add(failure(Status.RESOURCE_EXHAUSTED));
                return out;
            }
            if (flags == 1 && !gzip) {
                out.add(failure(Status.INTERNAL));
                return out;
            }
            if (bytes.length - at - 5 < length) {
                break;
            }
            byte[] payload = java.util.Arrays.copyOfRange(bytes, at + 5, at + 5 + (int) length);
            at += 5 + (int) length;
            if (flags == 0) {
                out.add("message " + HexFormat.of().formatHex(payload));
                continue;
            }
            String inflated = inflate(payload, maxMessageSize);
            out.add(inflated);
            if (!inflated.startsWith("message ")) {
                return out;
            }
        }
        out.add("rest " + (bytes.length - at));
        return out;
    }

    private static String inflate(byte[] payload, int maxMessageSize) {
        StringBuilder hex = new StringBuilder("message ");
        byte[] chunk = new byte[READ_CHUNK];
        long count = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
            for (int n; (n = in.read(chunk, 0, chunk.length)) != -1; ) {
                count += n;
                if (count > maxMessageSize) {
                    return failure(Status.RESOURCE_EXHAUSTED);
                }
                hex.append(HexFormat.of().formatHex(chunk, 0, n));
            }
            return hex.toString();
        } catch (IOException e) {
            return failure(Status.INTERNAL);
        }
    }

    private static String failure(Status status) {
        assertThat(status.getCode()).isIn(Status.Code.INTERNAL, Status.Code.RESOURCE_EXHAUSTED);
        return "failed " + status.getCode();
    }
}
