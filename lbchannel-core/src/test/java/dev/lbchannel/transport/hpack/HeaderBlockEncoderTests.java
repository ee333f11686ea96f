package dev.lbchannel.transport.hpack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What our HPACK encoder writes, Netty's decoder (a server's) reads, block after block with the
 * dynamic table carried along, through evictions and the server's changes of its table size; a
 * repeated request is a few bytes; and a list over the server's limit fails without a byte written.
 */
@Timeout(30)
class HeaderBlockEncoderTests {

    private static final int STREAM = 1;

    private final HeaderBlockEncoder encoder = new HeaderBlockEncoder();
    private final DefaultHttp2HeadersDecoder server = new DefaultHttp2HeadersDecoder(false, Long.MAX_VALUE / 2);

    @Test
    void nettysDecoderReadsWhatWeWriteBlockAfterBlock() throws Exception {
        Random random = new Random(7);
        for (int block = 0; block < 3_000; block++) {
            roundTrip(HeaderLists.random(random));
        }
    }

    @Test
    void theServersTableSizeChangesAreAnnouncedAtTheNextBlock() throws Exception {
        Random random = new Random(11);
        long[][] changes = {{1024}, {0, 4096}, {65_536}, {100, 0, 2000}, {0}, {4096}};
        for (long[] sizes : changes) {
            for (long size : sizes) {
                // The server lowers its decoder's limit first and then sends SETTINGS; Netty's
                // decoder then insists on a size update at the start of the next block.
                server.maxHeaderTableSize(size);
                encoder.maxHeaderTableSize(size);
            }
            for (int block = 0; block < 200; block++) {
                roundTrip(HeaderLists.random(random));
            }
        }
    }

    @Test
    void sizeUpdatesAreTheSmallestSinceTheLastBlockThenTheFinalOne() throws Exception {
        assertThat(updatesBefore(0, 4096)).isEqualTo("203fe11f");       // 0, then 4,096
        assertThat(updatesBefore(1024, 2048)).isEqualTo("3fe1073fe10f"); // 1,024, then 2,048
        assertThat(updatesBefore(2048, 1024)).isEqualTo("3fe107");       // only the final 1,024
        assertThat(updatesBefore(8192)).isEmpty();                       // the table stays at 4,096
    }

    @Test
    void aPendingUpdateSurvivesAListThatFailedTheServersLimit() throws Exception {
        HeaderBlockEncoder fresh = new HeaderBlockEncoder();
        fresh.maxHeaderTableSize(1024);
        fresh.maxHeaderListSize(100);
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> fresh.encode(STREAM, new DefaultHttp2Headers(false).add("x-big", "b".repeat(200)), out))
                .isInstanceOf(Http2Exception.class);
        assertThat(out.writerIndex()).isZero();
        fresh.encode(STREAM, new DefaultHttp2Headers(false).method("GET"), out);
        assertThat(io.netty.buffer.ByteBufUtil.hexDump(out)).isEqualTo("3fe10782");
        out.release();
    }

    /** What the next block starts with after the server's table size went through {@code sizes}. */
    private static String updatesBefore(long... sizes) throws Exception {
        HeaderBlockEncoder fresh = new HeaderBlockEncoder();
        for (long size : sizes) {
            fresh.maxHeaderTableSize(size);
        }
        ByteBuf out = Unpooled.buffer();
        fresh.encode(STREAM, new DefaultHttp2Headers(false).method("GET"), out);  // :method GET is 0x82
        String hex = io.netty.buffer.ByteBufUtil.hexDump(out);
        out.release();
        assertThat(hex).endsWith("82");
        return hex.substring(0, hex.length() - 2);
    }

    @Test
    void aRepeatedRequestIsAFewIndexesWhateverItsTimeout() throws Exception {
        int firstLength = 0;
        int lastLength = 0;
        for (int call = 0; call < 1_000; call++) {
            Http2Headers request = new DefaultHttp2Headers(false).method("POST").scheme("http")
                    .path(AsciiString.of("/svc/Method")).authority(AsciiString.of("backend.example:8080"))
                    .add("te", "trailers").add("content-type", "application/grpc")
                    .add("user-agent", "lbchannel-java/0.1.0").add("grpc-accept-encoding", "gzip")
                    .add("grpc-timeout", (100_000 - call) + "u");
            int length = roundTrip(request);
            if (call == 0) {
                firstLength = length;
            }
            lastLength = length;
        }
        assertThat(firstLength).isGreaterThan(100);
        // Eight indexes and the timeout as a literal with an indexed name: the timeouts did not
        // push the other headers out of the table.
        assertThat(lastLength).isLessThanOrEqualTo(8 + 2 + 1 + 6);
    }

    @Test
    void aListOverTheServersLimitFailsAndWritesNothing() throws Exception {
        encoder.maxHeaderListSize(100);
        ByteBuf out = Unpooled.buffer();
        Http2Headers large = new DefaultHttp2Headers(false).path("/svc/Method").add("x-big", "secret".repeat(20));
        assertThatThrownBy(() -> encoder.encode(STREAM, large, out))
                .isInstanceOfSatisfying(Http2Exception.HeaderListSizeException.class, e -> {
                    assertThat(e.streamId()).isEqualTo(STREAM);
                    assertThat(e.getMessage()).doesNotContain("secret");
                });
        assertThat(out.writerIndex()).isZero();
        // Nothing of it reached the table either: the next list decodes right on the server.
        roundTrip(new DefaultHttp2Headers(false).path("/svc/Method").add("x-small", "s"));
    }

    @Test
    void aHeaderLargerThanTheTableIsWrittenWithoutIndexing() throws Exception {
        Http2Headers huge = new DefaultHttp2Headers(false).add("x-huge", "h".repeat(5000)).add("x-after", "a");
        roundTrip(huge);
        assertThat(roundTrip(huge)).isGreaterThan(5000); // sent again in full: it could not be indexed
    }

    private int roundTrip(Http2Headers headers) throws Exception {
        ByteBuf block = Unpooled.buffer();
        encoder.encode(STREAM, headers, block);
        int length = block.readableBytes();
        Http2Headers decoded = server.decodeHeaders(STREAM, block);
        assertThat(HeaderLists.lines(decoded)).isEqualTo(HeaderLists.lines(headers));
        block.release();
        return length;
    }
}
