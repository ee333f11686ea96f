package dev.lbchannel.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameReader;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the frame reader, the first code a server's bytes reach, against Netty's
 * {@link DefaultHttp2FrameReader} on the same bytes. For any input, ours must deliver the same
 * frames as Netty's up to the first error, fail where Netty's fails with the same kind of error
 * (stream or connection) and code, never throw anything but an {@link Http2Exception}, read the
 * same whether the bytes arrive at once or in two parts, and leak no buffer (paranoid leak
 * detection fails the build). Where ours differs on purpose (PUSH_PROMISE, which a client that disabled
 * push must refuse), {@link FrameReaderComparison} allows it and says why.
 *
 * <p>Runs over the committed inputs in {@code FrameReaderFuzzTestsInputs} in every build; fuzzes
 * with {@code JAZZER_FUZZ=1} (see {@code lbchannel-core/fuzz.sh}).
 */
class FrameReaderFuzzTests {

    private static final int MAX_HEADER_LIST_SIZE = 8192;

    @FuzzTest
    void readsWhatNettyReads(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        try {
            ChannelHandlerContext ctx = channel.pipeline().firstContext();
            FrameReaderComparison.Outcome netty = read(ctx,
                    new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false, MAX_HEADER_LIST_SIZE)), input,
                    input.length);
            FrameReaderComparison.Outcome whole = read(ctx,
                    new ClientFrameReader(ResponseHeaders.decoder(MAX_HEADER_LIST_SIZE)), input, input.length);
            int split = input.length == 0 ? 0 : (input[input.length - 1] & 0xff) % (input.length + 1);
            FrameReaderComparison.Outcome parted = read(ctx,
                    new ClientFrameReader(ResponseHeaders.decoder(MAX_HEADER_LIST_SIZE)), input, split);

            assertThat(whole.unexpected()).as("only HTTP/2 errors").isNull();
            assertThat(parted.withoutDetail()).as("the same read in two parts (split at %d)", split)
                    .isEqualTo(whole.withoutDetail());
            FrameReaderComparison.assertMatches(whole, netty);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Reads {@code input} in two parts, the first {@code split} bytes long, until the first error. */
    private static FrameReaderComparison.Outcome read(ChannelHandlerContext ctx, Http2FrameReader reader,
            byte[] input, int split) {
        FrameEvents events = new FrameEvents();
        ByteBuf cumulation = Unpooled.buffer(input.length);
        try {
            cumulation.writeBytes(input, 0, split);
            reader.readFrame(ctx, cumulation, events);
            cumulation.discardReadBytes();
            cumulation.writeBytes(input, split, input.length - split);
            reader.readFrame(ctx, cumulation, events);
            return FrameReaderComparison.Outcome.read(List.copyOf(events.events));
        } catch (Http2Exception e) {
            return FrameReaderComparison.Outcome.failed(List.copyOf(events.events), e);
        } catch (RuntimeException e) {
            return FrameReaderComparison.Outcome.unexpected(List.copyOf(events.events), e);
        } finally {
            cumulation.release();
            reader.close();
        }
    }
}
