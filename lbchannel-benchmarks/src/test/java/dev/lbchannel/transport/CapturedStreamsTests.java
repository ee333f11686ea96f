package dev.lbchannel.transport;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2FrameReader;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed captures {@link FrameReaderBenchmark} replays are whole connections that both
 * readers read to the end, alike, in their socket-read pieces and at once, and that hold the
 * frames the comparison is meant to cover.
 */
@Timeout(30)
class CapturedStreamsTests {

    @ParameterizedTest
    @CsvSource({"unary, 500", "streaming, 25000", "large, 2097178"})
    void bothReadersReadTheWholeCaptureAlike(String name, long dataBytes) throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        try (ReplayFeed feed = new ReplayFeed(CapturedStream.load(name), PooledByteBufAllocator.DEFAULT)) {
            CountingFrameListener reference = read(feed, ctx, FrameReaderBenchmark.Reader.NETTY, false);

            assertThat(reference.dataBytes).isEqualTo(dataBytes);
            assertThat(reference.settings).as("SETTINGS").isPositive();
            assertThat(reference.windowUpdates).as("WINDOW_UPDATE").isPositive();
            assertThat(reference.pings).as("PING").isPositive();
            assertThat(reference.headersFrames).as("HEADERS").isPositive();
            for (FrameReaderBenchmark.Reader reader : FrameReaderBenchmark.Reader.values()) {
                for (boolean whole : new boolean[] {false, true}) {
                    assertThat(read(feed, ctx, reader, whole).summary()).as("%s, whole %s", reader, whole)
                            .isEqualTo(reference.summary());
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static CountingFrameListener read(ReplayFeed feed, ChannelHandlerContext ctx,
            FrameReaderBenchmark.Reader kind, boolean whole) throws Exception {
        CountingFrameListener counts = new CountingFrameListener();
        Http2FrameReader reader = kind.create();
        try {
            if (whole) {
                feed.readWhole(ctx, reader, counts);
            } else {
                feed.readChunks(ctx, reader, counts);
            }
        } finally {
            reader.close();
        }
        return counts;
    }
}
