package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The flat response header list, as HPACK fills it and as the response path and Netty read it. */
@Timeout(30)
class ResponseHeadersTests {

    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final Http2HeadersDecoder decoder = ResponseHeaders.decoder(8192);

    @Test
    void decodedListAnswersLookupsInArrivalOrder() throws Exception {
        Http2Headers headers = decode(new DefaultHttp2Headers().status("200").add("content-type", "application/grpc")
                .add("x-a", "1").add("x-a", "2"));

        assertThat(headers).isInstanceOf(ResponseHeaders.class);
        assertThat(headers.status()).hasToString("200");
        assertThat(headers.get(AsciiString.of("content-type"))).hasToString("application/grpc");
        assertThat(headers.getAll("x-a")).extracting(CharSequence::toString).containsExactly("1", "2");
        assertThat(headers.getAll("x-missing")).isEmpty();
        assertThat(headers.contains("x-a", "2")).isTrue();
        assertThat(headers.contains("x-a", "3")).isFalse();
        assertThat(names(headers)).containsExactly(":status", "content-type", "x-a", "x-a");
    }

    @Test
    void eachListKeepsItsOwnEntriesAfterTheNextIsDecoded() throws Exception {
        Http2Headers first = decode(new DefaultHttp2Headers().status("200").add("x-first", "1"));
        Http2Headers second = decode(new DefaultHttp2Headers().add("grpc-status", "0"));

        assertThat(names(first)).containsExactly(":status", "x-first");
        assertThat(names(second)).containsExactly("grpc-status");
    }

    @Test
    void setAndRemoveReplaceEveryValueOfAName() throws Exception {
        Http2Headers headers = decode(new DefaultHttp2Headers().add("content-length", "5").add("x-b", "1")
                .add("content-length", "6"));

        headers.setLong("content-length", 7);
        assertThat(headers.getAll("content-length")).extracting(CharSequence::toString).containsExactly("7");
        assertThat(headers.remove("x-b")).isTrue();
        assertThat(headers.remove("x-b")).isFalse();
        assertThat(headers.size()).isEqualTo(1);
    }

    private Http2Headers decode(Http2Headers headers) throws Exception {
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(1, headers, block);
            return decoder.decodeHeaders(1, block);
        } finally {
            block.release();
        }
    }

    private static List<String> names(Http2Headers headers) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            names.add(header.getKey().toString());
        }
        return names;
    }
}
