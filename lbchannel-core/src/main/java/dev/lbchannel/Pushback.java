package dev.lbchannel;

import io.grpc.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * A server's word on retrying (gRFC A6 "Pushback"): its trailers' {@code grpc-retry-pushback-ms}
 * is how many milliseconds to wait before the next attempt, and a negative or unreadable value
 * says not to retry at all. Stateless.
 */
final class Pushback {

    static final Metadata.Key<String> KEY = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    /** The value meaning "do not retry". */
    static final int STOP = -1;

    private Pushback() {
    }

    /** The pushback in {@code trailers}: {@code null} for none, {@link #STOP} for "do not retry", else milliseconds. */
    static @Nullable Integer of(Metadata trailers) {
        String value = trailers.get(KEY);
        if (value == null) {
            return null;
        }
        try {
            int millis = Integer.parseInt(value);
            return millis < 0 ? STOP : millis;
        } catch (NumberFormatException e) {
            return STOP;
        }
    }
}
