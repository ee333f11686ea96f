package dev.lbchannel.transport.hpack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Header lists for the HPACK tests: random ones over a small vocabulary, and as comparable text. */
final class HeaderLists {

    private static final String[] NAMES = {
        "content-type", "grpc-status", "grpc-message", "x-request-id", "x-user", "authorization", "accept",
        "grpc-encoding", "grpc-accept-encoding", "set-cookie", "x-trace-bin", "date", "x-long",
    };
    private static final String[] VALUES = {
        "", "0", "application/grpc", "identity", "gzip", "bearer abc.def.ghi", "text/plain", "ok", "12345",
    };

    private HeaderLists() {
    }

    /**
     * A request-like list: pseudo-headers first (HTTP/2 wants them there, and Netty's header map
     * keeps them there), then 0 to 11 others drawn from the vocabulary with some fresh values, so
     * that some are table hits, some new entries and some evictions.
     */
    static Http2Headers random(Random random) {
        Http2Headers headers = new DefaultHttp2Headers(false)
                .method(random.nextBoolean() ? "POST" : "GET")
                .scheme(random.nextBoolean() ? "http" : "https")
                .path("/svc/Method" + random.nextInt(4))
                .authority("backend-" + random.nextInt(3) + ".example:443");
        int others = random.nextInt(12);
        for (int i = 0; i < others; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            String value = random.nextInt(4) == 0 ? fresh(random) : VALUES[random.nextInt(VALUES.length)];
            headers.add(name, name.equals("x-long") ? value.repeat(1 + random.nextInt(200)) : value);
        }
        return headers;
    }

    /** A value of 1 to 40 bytes over all of Latin-1 (HPACK carries octets). */
    private static String fresh(Random random) {
        char[] chars = new char[1 + random.nextInt(40)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(256);
        }
        return new String(chars);
    }

    /** The list as "name: value" lines, in order. */
    static List<String> lines(Http2Headers headers) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            lines.add(header.getKey() + ": " + header.getValue());
        }
        return lines;
    }

    static ByteBuf bytes(int... values) {
        ByteBuf out = Unpooled.buffer(values.length);
        for (int value : values) {
            out.writeByte(value);
        }
        return out;
    }
}
