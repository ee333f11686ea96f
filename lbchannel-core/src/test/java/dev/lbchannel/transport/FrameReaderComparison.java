package dev.lbchannel.transport;

import io.netty.handler.codec.http2.Http2Exception;
import org.jspecify.annotations.Nullable;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the frame reader's result on some bytes is compared with Netty's, and the differences that
 * are ours on purpose, each with its reason.
 */
final class FrameReaderComparison {

    private FrameReaderComparison() {
    }

    /**
     * What a reader made of some bytes: the frames it delivered, then the HTTP/2 error it stopped
     * at ({@code "connection PROTOCOL_ERROR"}, {@code "stream 3 FLOW_CONTROL_ERROR"}) or any other
     * exception it threw; {@code detail} is the error's message, which is not compared.
     */
    record Outcome(List<String> events, @Nullable String error, @Nullable String unexpected, String detail) {

        static Outcome read(List<String> events) {
            return new Outcome(events, null, null, "");
        }

        static Outcome failed(List<String> events, Http2Exception e) {
            String kind = e instanceof Http2Exception.StreamException stream
                    ? "stream " + stream.streamId() : "connection";
            return new Outcome(events, kind + " " + e.error(), null, String.valueOf(e.getMessage()));
        }

        static Outcome unexpected(List<String> events, RuntimeException e) {
            return new Outcome(events, null, e.toString(), String.valueOf(e.getMessage()));
        }

        /** This outcome without its message, which may name buffer positions that differ. */
        Outcome withoutDetail() {
            return new Outcome(events, error, unexpected, "");
        }
    }

    static void assertMatches(Outcome ours, Outcome netty) {
        if (netty.unexpected() != null) {
            // Netty's reader broke on its own (not an HTTP/2 error): only the frames before agree.
            assertPrefix(ours.events(), netty.events());
            return;
        }
        if (refusedPush(ours)) {
            // RFC 9113 §8.4: with SETTINGS_ENABLE_PUSH 0 (this client's), PUSH_PROMISE is a connection
            // error of type PROTOCOL_ERROR; Netty's general reader parses it (its decoder then refuses
            // it). Up to the push, both read the same.
            assertPrefix(netty.events(), ours.events());
            return;
        }
        assertThat(ours.events()).as("frames delivered").isEqualTo(netty.events());
        if (stricterFrameSize(ours, netty)) {
            // RFC 9113 §4.2: a frame too small for its mandatory fields is a FRAME_SIZE_ERROR; only
            // frames that could alter the whole connection must make it a connection error, for a
            // DATA frame either is allowed. Netty fails the stream; ours closes the connection, since
            // a server that frames one stream wrong cannot be trusted with the others.
            return;
        }
        assertThat(ours.error()).as("error (ours: %s; Netty's: %s)", ours.detail(), netty.detail())
                .isEqualTo(netty.error());
    }

    /** {@code events} begins with {@code prefix} (AssertJ's startsWith refuses an empty prefix). */
    private static void assertPrefix(List<String> events, List<String> prefix) {
        assertThat(events.size()).as("frames delivered").isGreaterThanOrEqualTo(prefix.size());
        assertThat(events.subList(0, prefix.size())).as("frames delivered").isEqualTo(prefix);
    }

    private static boolean stricterFrameSize(Outcome ours, Outcome netty) {
        return "connection FRAME_SIZE_ERROR".equals(ours.error()) && netty.error() != null
                && netty.error().startsWith("stream ") && netty.error().endsWith(" FRAME_SIZE_ERROR");
    }

    private static boolean refusedPush(Outcome ours) {
        return "connection PROTOCOL_ERROR".equals(ours.error()) && ours.detail().contains("push is disabled");
    }
}
