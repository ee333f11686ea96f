package dev.lbchannel.transport.hpack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Random;

import static dev.lbchannel.transport.hpack.HeaderLists.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our HPACK decoder reads what Netty's encoder (grpc-java's server's) writes, block after block
 * with the dynamic table carried along, Huffman-coded or not, indexed, not indexed or never
 * indexed, through size updates and evictions; and every malformed block is the connection error
 * RFC 7541 asks for, while a list over the size limit fails only its stream.
 */
@Timeout(30)
class HeaderBlockDecoderTests {

    private static final int STREAM = 3;

    private final HeaderBlockDecoder decoder = new HeaderBlockDecoder(1 << 20);

    @Test
    void readsWhatNettysEncoderWritesBlockAfterBlock() throws Exception {
        for (int huffmanThreshold : new int[] {0, 512, Integer.MAX_VALUE}) {
            for (Http2HeadersEncoder.SensitivityDetector sensitivity : new Http2HeadersEncoder.SensitivityDetector[] {
                    Http2HeadersEncoder.NEVER_SENSITIVE, (name, value) -> name.length() % 3 == 0}) {
                HeaderBlockDecoder fresh = new HeaderBlockDecoder(1 << 20);
                DefaultHttp2HeadersEncoder netty = new DefaultHttp2HeadersEncoder(sensitivity, false, 16,
                        huffmanThreshold);
                Random random = new Random(huffmanThreshold);
                for (int block = 0; block < 1_000; block++) {
                    if (block % 250 == 100) { // a smaller table, then the default again: size updates
                        netty.maxHeaderTableSize(block % 500 == 100 ? 256 : 4096);
                    }
                    roundTrip(netty, fresh, HeaderLists.random(random));
                }
            }
        }
    }

    @Test
    void everyOctetSurvivesHuffmanCoding() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 256; c++) {
            all.append(c);
        }
        DefaultHttp2HeadersEncoder netty = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, false,
                16, 0);
        roundTrip(netty, decoder, new DefaultHttp2Headers(false).add("x-all", all.toString())
                .add("x-reversed", all.reverse().toString()).add("x-empty", ""));
    }

    @Test
    void wellKnownStringsAreSharedInstances() throws Exception {
        // grpc-status: 0 as a literal with a new name, without indexing, twice.
        Http2Headers first = decode(bytes(0x00, 11, 'g', 'r', 'p', 'c', '-', 's', 't', 'a', 't', 'u', 's', 1, '0'));
        Http2Headers second = decode(bytes(0x00, 11, 'g', 'r', 'p', 'c', '-', 's', 't', 'a', 't', 'u', 's', 1, '0'));
        Map.Entry<CharSequence, CharSequence> a = first.iterator().next();
        Map.Entry<CharSequence, CharSequence> b = second.iterator().next();
        assertThat(a.getKey()).hasToString("grpc-status").isSameAs(b.getKey());
        assertThat(a.getValue()).hasToString("0").isSameAs(b.getValue());
    }

    @Test
    void aListOverTheLimitFailsItsStreamAfterDecodingToTheEnd() throws Exception {
        HeaderBlockDecoder limited = new HeaderBlockDecoder(100);
        DefaultHttp2HeadersEncoder netty = new DefaultHttp2HeadersEncoder();
        ByteBuf block = Unpooled.buffer();
        netty.encodeHeaders(STREAM, new DefaultHttp2Headers(false).add("x-a", "a".repeat(40)).add("x-b", "b"), block);
        assertThatThrownBy(() -> limited.decode(STREAM, block, new DefaultHttp2Headers(false)))
                .isInstanceOfSatisfying(Http2Exception.HeaderListSizeException.class, e -> {
                    assertThat(e.streamId()).isEqualTo(STREAM);
                    assertThat(e.getMessage()).doesNotContain("aaaa"); // no metadata values in errors
                });
        assertThat(block.isReadable()).isFalse();
        // Both entries went into the table all the same: the next block refers to them.
        ByteBuf next = Unpooled.buffer();
        netty.encodeHeaders(5, new DefaultHttp2Headers(false).add("x-b", "b"), next);
        Http2Headers decoded = new DefaultHttp2Headers(false);
        limited.decode(5, next, decoded);
        assertThat(HeaderLists.lines(decoded)).containsExactly("x-b: b");
    }

    @Test
    void aListOverTheSecondLimitFailsTheConnection() throws Exception {
        HeaderBlockDecoder limited = new HeaderBlockDecoder(100);
        limited.maxHeaderListSize(100, 150);
        ByteBuf block = Unpooled.buffer();
        new DefaultHttp2HeadersEncoder().encodeHeaders(STREAM,
                new DefaultHttp2Headers(false).add("x-a", "a".repeat(200)), block);
        assertThatThrownBy(() -> limited.decode(STREAM, block, new DefaultHttp2Headers(false)))
                .isInstanceOfSatisfying(Http2Exception.class, e -> assertThat(Http2Exception.isStreamError(e)).isFalse());
    }

    @Test
    void malformedBlocksAreCompressionErrors() {
        assertCompressionError(bytes(0x80), "index 0");
        assertCompressionError(bytes(0x80 | 62), "index 62 is outside");  // the dynamic table is empty
        assertCompressionError(bytes(0x3f, 0xe2, 0x1f), "above this client's limit");  // size update to 4,097
        assertCompressionError(bytes(0x82, 0x20), "size update after a header");
        assertCompressionError(bytes(0xff), "cut off");
        assertCompressionError(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0x0f), "larger than 2^31");
        assertCompressionError(bytes(0x40, 0x05, 'a'), "longer than the 1 left");
        assertCompressionError(bytes(0x40), "missing");
        // Huffman: EOS inside a string; padding of more than 7 bits; padding that is not all ones.
        assertCompressionError(bytes(0x00, 0x01, 'x', 0x84, 0xff, 0xff, 0xff, 0xff), "contains EOS");
        assertCompressionError(bytes(0x00, 0x01, 'x', 0x82, 0x1f, 0xff), "incomplete code");
        assertCompressionError(bytes(0x00, 0x01, 'x', 0x81, 0x18), "incomplete code");
    }

    @Test
    void huffmanPaddingOfOnesIsAccepted() throws Exception {
        // 'a' is 00011; three padding ones make 0x1f.
        assertThat(HeaderLists.lines(decode(bytes(0x00, 0x01, 'x', 0x81, 0x1f)))).containsExactly("x: a");
    }

    @Test
    void aSizeUpdateToZeroEmptiesTheTable() throws Exception {
        decode(bytes(0x40, 0x01, 'k', 0x01, 'v'));          // k: v, indexed as 62
        assertThat(HeaderLists.lines(decode(bytes(0x80 | 62)))).containsExactly("k: v");
        decode(bytes(0x20, 0x3f, 0xe1, 0x1f));              // size updates to 0 and back to 4,096
        assertCompressionError(bytes(0x80 | 62), "outside");
    }

    private void roundTrip(DefaultHttp2HeadersEncoder netty, HeaderBlockDecoder ours, Http2Headers headers)
            throws Exception {
        ByteBuf block = Unpooled.buffer();
        netty.encodeHeaders(STREAM, headers, block);
        Http2Headers decoded = new DefaultHttp2Headers(false);
        ours.decode(STREAM, block, decoded);
        assertThat(HeaderLists.lines(decoded)).isEqualTo(HeaderLists.lines(headers));
        assertThat(block.isReadable()).isFalse();
    }

    private Http2Headers decode(ByteBuf block) throws Exception {
        Http2Headers decoded = new DefaultHttp2Headers(false);
        decoder.decode(STREAM, block, decoded);
        return decoded;
    }

    private void assertCompressionError(ByteBuf block, String message) {
        assertThatThrownBy(() -> new HeaderBlockDecoder(1 << 20).decode(STREAM, block, new DefaultHttp2Headers(false)))
                .isInstanceOfSatisfying(Http2Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(Http2Error.COMPRESSION_ERROR);
                    assertThat(Http2Exception.isStreamError(e)).isFalse();
                })
                .hasMessageContaining(message);
    }
}
