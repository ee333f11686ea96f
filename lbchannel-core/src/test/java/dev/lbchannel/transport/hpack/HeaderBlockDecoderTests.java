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
    void aListAmplifiedByIndexesFailsOnlyItsStream() throws Exception {
        // 4 KB indexed once and referred to twenty times: a small block, a list of 80 KB. Nothing
        // past the limit is kept, so the call fails (RESOURCE_EXHAUSTED) and the connection lives.
        HeaderBlockDecoder limited = new HeaderBlockDecoder(8192);
        ByteBuf block = Unpooled.buffer();
        new DefaultHttp2HeadersEncoder().encodeHeaders(STREAM,
                new DefaultHttp2Headers(false).add("x-a", "a".repeat(4000)), block);
        for (int i = 0; i < 20; i++) {
            block.writeByte(0x80 | 62);
        }
        assertThat((long) block.readableBytes()).isLessThan(limited.maxHeaderListSizeGoAway());
        assertThatThrownBy(() -> limited.decode(STREAM, block, new DefaultHttp2Headers(false)))
                .isInstanceOfSatisfying(Http2Exception.HeaderListSizeException.class,
                        e -> assertThat(e.streamId()).isEqualTo(STREAM));
    }

    @Test
    void integersLongerThanFiveContinuationBytesAreCompressionErrors() {
        // 127 with nine redundant continuation bytes; a name length that would wrap to a negative
        // int, raw and Huffman-coded; a size update that would wrap, on an empty table and not.
        assertCompressionError(bytes(0x7f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
                "more than 5 continuation bytes");
        int[] wrapping = {0x7f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x80, 0x80, 0x80, 0x10};
        int[] raw = new int[wrapping.length + 1];
        raw[0] = 0x00;
        System.arraycopy(wrapping, 0, raw, 1, wrapping.length);
        assertCompressionError(bytes(raw), "continuation bytes");
        raw[1] = 0xff;   // the same length, Huffman-coded
        assertCompressionError(bytes(raw), "continuation bytes");
        int[] update = wrapping.clone();
        update[0] = 0x3f;
        assertCompressionError(bytes(update), "continuation bytes");
        HeaderBlockDecoder withAnEntry = new HeaderBlockDecoder(1 << 20);
        assertThatThrownBy(() -> {
            withAnEntry.decode(STREAM, bytes(0x40, 0x01, 'k', 0x01, 'v'), new DefaultHttp2Headers(false));
            withAnEntry.decode(5, bytes(update), new DefaultHttp2Headers(false));
        }).isInstanceOfSatisfying(Http2Exception.class,
                e -> assertThat(e.error()).isEqualTo(Http2Error.COMPRESSION_ERROR))
                .hasMessageContaining("continuation bytes");
    }

    @Test
    void dynamicIndexesCountFromTheNewestAndEndAtTheOldest() throws Exception {
        decode(bytes(0x40, 0x01, 'a', 0x01, '1'));
        decode(bytes(0x40, 0x01, 'b', 0x01, '2'));
        assertThat(HeaderLists.lines(decode(bytes(0x80 | 62, 0x80 | 63)))).containsExactly("b: 2", "a: 1");
        assertThatThrownBy(() -> decode(bytes(0x80 | 64))).isInstanceOf(Http2Exception.class)
                .hasMessageContaining("outside");
    }

    @Test
    void aLiteralMayNameTheEntryItsOwnInsertionEvicts() throws Exception {
        HeaderBlockDecoder small = new HeaderBlockDecoder(1 << 20);
        Http2Headers ignored = new DefaultHttp2Headers(false);
        small.decode(STREAM, bytes(0x20 | 0x1f, 3), ignored);   // a table of 34 bytes: one tiny entry
        small.decode(STREAM, bytes(0x40, 0x01, 'k', 0x01, 'v'), ignored);
        Http2Headers decoded = new DefaultHttp2Headers(false);
        small.decode(STREAM, bytes(0x40 | 62, 0x01, 'w', 0x80 | 62), decoded);  // k: w, evicting k: v
        assertThat(HeaderLists.lines(decoded)).containsExactly("k: w", "k: w");
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
        // 'a' is 00011; three padding ones make 0x1f. Five a's are 25 bits, then seven ones.
        assertThat(HeaderLists.lines(decode(bytes(0x00, 0x01, 'x', 0x81, 0x1f)))).containsExactly("x: a");
        assertThat(HeaderLists.lines(decode(bytes(0x00, 0x01, 'y', 0x84, 0x18, 0xc6, 0x31, 0xff))))
                .containsExactly("y: aaaaa");
    }

    @Test
    void afterThisClientLowersItsTableSizeTheNextBlockMustBeginWithAnUpdate() throws Exception {
        HeaderBlockDecoder lowered = new HeaderBlockDecoder(1 << 20);
        lowered.maxHeaderTableSize(1024);
        assertThatThrownBy(() -> lowered.decode(STREAM, bytes(0x82), new DefaultHttp2Headers(false)))
                .isInstanceOf(Http2Exception.class).hasMessageContaining("size update");
        HeaderBlockDecoder updated = new HeaderBlockDecoder(1 << 20);
        updated.maxHeaderTableSize(1024);
        Http2Headers decoded = new DefaultHttp2Headers(false);
        updated.decode(STREAM, bytes(0x3f, 0xe1, 0x07, 0x82), decoded);   // to 1,024, then :method GET
        assertThat(HeaderLists.lines(decoded)).containsExactly(":method: GET");
        decoded = new DefaultHttp2Headers(false);
        updated.decode(STREAM, bytes(0x82), decoded);                      // and then no more
        assertThat(HeaderLists.lines(decoded)).containsExactly(":method: GET");
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
