package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our frame reader against Netty's on the same bytes: every frame a server may send, whole or
 * split anywhere, must reach the listener as the same events; and malformed frames fail as the
 * RFC says.
 */
@Timeout(30)
class ClientFrameReaderTests {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
    private final List<ByteBuf> toRelease = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        toRelease.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void connectionFramesReadAsNettyReadsThem() throws Exception {
        ByteBuf settings = Unpooled.buffer().writeShort(3).writeInt(100).writeShort(4).writeInt(65_535);
        ByteBuf input = frames(
                frame(0x4, 0, 0, settings),
                frame(0x4, 0x1, 0, Unpooled.EMPTY_BUFFER),
                frame(0x6, 0, 0, Unpooled.buffer().writeLong(42)),
                frame(0x6, 0x1, 0, Unpooled.buffer().writeLong(43)),
                frame(0x8, 0, 0, Unpooled.buffer().writeInt(1000)),
                frame(0x8, 0, 3, Unpooled.buffer().writeInt(7)),
                frame(0x3, 0, 3, Unpooled.buffer().writeInt(8)),
                frame(0x2, 0, 5, Unpooled.buffer().writeInt(0x80000003).writeByte(9)),
                frame(0x7, 0, 0, Unpooled.buffer().writeInt(5).writeInt(2).writeBytes("bye".getBytes())),
                frame(0x42, 0x3, 7, Unpooled.wrappedBuffer(new byte[] {1, 2})));
        assertSameEvents(input);
    }

    @Test
    void headersAndDataReadAsNettyReadsThem() throws Exception {
        Http2Headers response = new DefaultHttp2Headers().status("200").add("content-type", "application/grpc")
                .add("grpc-encoding", "identity").add("x-user", "v");
        ByteBuf block = encode(response);
        ByteBuf trailersBlock = encode(new DefaultHttp2Headers().add("grpc-status", "0"));
        int split = block.readableBytes() / 3;
        ByteBuf input = frames(
                frame(0x1, 0x4, 1, block.retainedDuplicate()),
                frame(0x0, 0, 1, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 2, 7, 8})),
                frame(0x0, 0x8, 1, Unpooled.buffer().writeByte(3).writeBytes(new byte[] {1, 2, 3, 4}).writeZero(3)),
                frame(0x1, 0x8 | 0x20 | 0x4 | 0x1, 3, Unpooled.buffer().writeByte(2).writeInt(1).writeByte(15)
                        .writeBytes(trailersBlock.duplicate()).writeZero(2)),
                frame(0x1, 0, 5, block.retainedSlice(0, split)),
                frame(0x9, 0, 5, block.retainedSlice(split, split)),
                frame(0x9, 0x4 | 0x1, 5, block.retainedSlice(2 * split, block.readableBytes() - 2 * split)),
                frame(0x0, 0x1, 1, Unpooled.EMPTY_BUFFER));
        block.release();
        trailersBlock.release();
        assertSameEvents(input);
    }

    @Test
    void malformedFramesAreConnectionErrors() throws Exception {
        assertConnectionError(frames(frame(0x0, 0, 0, Unpooled.buffer().writeByte(1))), Http2Error.PROTOCOL_ERROR);
        assertConnectionError(frames(frame(0x6, 0, 0, Unpooled.buffer().writeInt(1))), Http2Error.FRAME_SIZE_ERROR);
        assertConnectionError(frames(frame(0x4, 0, 1, Unpooled.EMPTY_BUFFER)), Http2Error.PROTOCOL_ERROR);
        assertConnectionError(frames(frame(0x4, 0x1, 0, Unpooled.buffer().writeByte(0))), Http2Error.FRAME_SIZE_ERROR);
        assertConnectionError(frames(frame(0x0, 0x8, 1, Unpooled.buffer().writeByte(4).writeZero(2))),
                Http2Error.PROTOCOL_ERROR);
        assertConnectionError(frames(frame(0x9, 0x4, 1, Unpooled.buffer().writeByte(0))), Http2Error.PROTOCOL_ERROR);
        assertConnectionError(frames(frame(0x1, 0, 1, encode(new DefaultHttp2Headers().status("200"))),
                frame(0x0, 0, 1, Unpooled.buffer().writeByte(0))), Http2Error.PROTOCOL_ERROR);
        assertConnectionError(frames(frame(0x5, 0x4, 1, Unpooled.buffer().writeInt(2))), Http2Error.PROTOCOL_ERROR);
        assertConnectionError(Unpooled.buffer().writeMedium(16_385).writeByte(0).writeByte(0).writeInt(1),
                Http2Error.FRAME_SIZE_ERROR);
    }

    @Test
    void zeroStreamWindowUpdateFailsOnlyItsStreamAndReadingGoesOn() throws Exception {
        ByteBuf input = track(frames(frame(0x8, 0, 3, Unpooled.buffer().writeInt(0)),
                frame(0x6, 0, 0, Unpooled.buffer().writeLong(1))));
        FrameEvents events = new FrameEvents();
        ClientFrameReader reader = new ClientFrameReader(ResponseHeaders.decoder(8192));
        assertThatThrownBy(() -> reader.readFrame(ctx, input, events))
                .isInstanceOf(Http2Exception.StreamException.class);
        reader.readFrame(ctx, input, events);
        assertThat(events.events).containsExactly("ping 1");
    }

    private void assertConnectionError(ByteBuf input, Http2Error error) {
        track(input);
        ClientFrameReader reader = new ClientFrameReader(ResponseHeaders.decoder(8192));
        assertThatThrownBy(() -> reader.readFrame(ctx, input, new FrameEvents()))
                .isInstanceOfSatisfying(Http2Exception.class, e -> {
                    assertThat(e).isNotInstanceOf(Http2Exception.StreamException.class);
                    assertThat(e.error()).isEqualTo(error);
                });
        reader.close();
    }

    /** Netty's reader and ours, each fed the input whole and then in every two-part split. */
    private void assertSameEvents(ByteBuf input) throws Exception {
        track(input);
        List<String> expected = read(new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false)), input, 0);
        assertThat(expected).isNotEmpty();
        for (int split = 0; split < input.readableBytes(); split++) {
            List<String> actual = read(new ClientFrameReader(ResponseHeaders.decoder(8192)), input, split);
            assertThat(actual).as("split at %d", split).isEqualTo(expected);
        }
    }

    private List<String> read(Http2FrameReader reader, ByteBuf input, int split) throws Http2Exception {
        FrameEvents events = new FrameEvents();
        ByteBuf cumulation = Unpooled.buffer();
        try {
            cumulation.writeBytes(input, input.readerIndex(), split);
            reader.readFrame(ctx, cumulation, events);
            cumulation.discardReadBytes();
            cumulation.writeBytes(input, input.readerIndex() + split, input.readableBytes() - split);
            reader.readFrame(ctx, cumulation, events);
            assertThat(cumulation.isReadable()).isFalse();
        } finally {
            cumulation.release();
            reader.close();
        }
        return events.events;
    }

    private ByteBuf encode(Http2Headers headers) throws Http2Exception {
        ByteBuf out = Unpooled.buffer();
        new DefaultHttp2HeadersEncoder().encodeHeaders(1, headers, out);
        return out;
    }

    private ByteBuf track(ByteBuf buf) {
        toRelease.add(buf);
        return buf;
    }

    private static ByteBuf frame(int type, int flags, int streamId, ByteBuf payload) {
        ByteBuf frame = Unpooled.buffer().writeMedium(payload.readableBytes()).writeByte(type).writeByte(flags)
                .writeInt(streamId).writeBytes(payload);
        payload.release();
        return frame;
    }

    private static ByteBuf frames(ByteBuf... frames) {
        return Unpooled.wrappedBuffer(frames);
    }
}
