package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our frame writer against Netty's: the same frames must be the same bytes on the wire (the
 * preface, SETTINGS, PING, RST_STREAM, GOAWAY, WINDOW_UPDATE and DATA; HEADERS too, call after
 * call, where both HPACK encoders choose the same representations), in fewer buffers for HEADERS
 * and small DATA; a block larger than a frame goes on in CONTINUATIONs that Netty's decoder reads;
 * and a frame that cannot be written fails its promise and releases what it was given.
 */
@Timeout(30)
class ClientFrameWriterTests {

    private final EmbeddedChannel ours = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final EmbeddedChannel netty = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ClientFrameWriter writer = new ClientFrameWriter();
    private final DefaultHttp2FrameWriter reference = new DefaultHttp2FrameWriter();

    @AfterEach
    void close() {
        ours.finishAndReleaseAll();
        netty.finishAndReleaseAll();
    }

    @Test
    void headersAreTheBytesNettyWritesInOneBuffer() {
        Http2Headers request = new DefaultHttp2Headers().method("POST").scheme("http").path("/svc/Method")
                .authority("localhost:8080").add("te", "trailers").add("content-type", "application/grpc")
                .add("user-agent", "lbchannel-java/0.1.0").add("grpc-timeout", "999m").add("x-user", "value");
        for (int i = 0; i < 3; i++) { // the second and third reuse HPACK's dynamic table
            boolean endStream = i == 2;
            int streamId = 1 + 2 * i;
            ByteBuf[] written = both(ctx -> writer.writeHeaders(ctx, streamId, request, endStream, ctx.newPromise()),
                    ctx -> reference.writeHeaders(ctx, streamId, request, 0, endStream, ctx.newPromise()));
            assertThat(ByteBufUtil.hexDump(written[0])).isEqualTo(ByteBufUtil.hexDump(written[1]));
            release(written);
        }
        assertThat(buffersWrittenBy(ours, ctx -> writer.writeHeaders(ctx, 7, request, false, ctx.newPromise())))
                .isEqualTo(1);
    }

    @Test
    void aHeaderBlockLargerThanAFrameGoesOnInContinuationFrames() throws Exception {
        Http2Headers large = new DefaultHttp2Headers().method("POST").path("/svc/Method")
                .add("x-big", "v".repeat(40_000)).add("x-small", "w");
        ChannelFuture write = writer.writeHeaders(context(ours), 3, large, true, ours.newPromise());
        ByteBuf frames = drain(ours);
        assertThat(write.isSuccess()).isTrue();
        // HEADERS with END_STREAM but not END_HEADERS, full frames of CONTINUATION, the last one
        // with END_HEADERS; the fragments together are the block Netty's decoder reads.
        ByteBuf block = Unpooled.buffer();
        List<String> shape = new ArrayList<>();
        while (frames.isReadable()) {
            int length = frames.readUnsignedMedium();
            int type = frames.readByte();
            int flags = frames.readByte();
            assertThat(frames.readInt()).isEqualTo(3);
            shape.add(type + "/" + flags + (length == 16_384 ? "" : "/short"));
            block.writeBytes(frames, length);
        }
        assertThat(shape).containsExactly("1/1", "9/0", "9/4/short");
        Http2Headers decoded = new DefaultHttp2HeadersDecoder(false, 1 << 20).decodeHeaders(3, block);
        assertThat(decoded.toString()).isEqualTo(large.toString());
        frames.release();
        block.release();
    }

    @Test
    void dataIsTheBytesNettyWritesInOneBufferWhenSmallAndTwoWhenLarge() {
        int[] sizes = {0, 1, 21, ClientFrameWriter.COPY_LIMIT, ClientFrameWriter.COPY_LIMIT + 1, 16_384};
        for (int size : sizes) {
            for (boolean endStream : new boolean[] {false, true}) {
                ByteBuf[] written = both(ctx -> writer.writeData(ctx, 5, payload(size), endStream, ctx.newPromise()),
                        ctx -> reference.writeData(ctx, 5, payload(size), 0, endStream, ctx.newPromise()));
                assertThat(ByteBufUtil.hexDump(written[0])).as("size %d", size)
                        .isEqualTo(ByteBufUtil.hexDump(written[1]));
                release(written);
            }
        }
        assertThat(buffersWrittenBy(ours, ctx -> writer.writeData(ctx, 5, payload(21), true, ctx.newPromise())))
                .isEqualTo(1);
        assertThat(buffersWrittenBy(ours, ctx -> writer.writeData(ctx, 5, payload(3000), true, ctx.newPromise())))
                .isEqualTo(2);
    }

    @Test
    void dataLargerThanOneFrameFailsThePromiseAndIsReleased() {
        ByteBuf data = payload(16_385);
        ChannelFuture future = writer.writeData(context(ours), 5, data, false, ours.newPromise());
        assertThat(future.cause()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one frame");
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void controlFramesAreTheBytesNettyWrites() {
        Http2Settings settings = new Http2Settings().pushEnabled(false).initialWindowSize(1 << 20)
                .maxHeaderListSize(8192);
        ByteBuf[] preface = both(ctx -> writer.writePreface(ctx, settings, ctx.newPromise()), ctx -> {
            ctx.write(Http2CodecUtil.connectionPrefaceBuf());
            return reference.writeSettings(ctx, settings, ctx.newPromise());
        });
        assertThat(ByteBufUtil.hexDump(preface[0])).isEqualTo(ByteBufUtil.hexDump(preface[1]));
        release(preface);
        List<ByteBuf[]> frames = List.of(
                both(ctx -> writer.writeSettingsAck(ctx, ctx.newPromise()),
                        ctx -> reference.writeSettingsAck(ctx, ctx.newPromise())),
                both(ctx -> writer.writePing(ctx, false, 0x0102030405060708L, ctx.newPromise()),
                        ctx -> reference.writePing(ctx, false, 0x0102030405060708L, ctx.newPromise())),
                both(ctx -> writer.writePing(ctx, true, -1L, ctx.newPromise()),
                        ctx -> reference.writePing(ctx, true, -1L, ctx.newPromise())),
                both(ctx -> writer.writeRstStream(ctx, 7, Http2Error.CANCEL.code(), ctx.newPromise()),
                        ctx -> reference.writeRstStream(ctx, 7, Http2Error.CANCEL.code(), ctx.newPromise())),
                both(ctx -> writer.writeGoAway(ctx, 0, Http2Error.PROTOCOL_ERROR.code(),
                                Unpooled.copiedBuffer("why", StandardCharsets.UTF_8), ctx.newPromise()),
                        ctx -> reference.writeGoAway(ctx, 0, Http2Error.PROTOCOL_ERROR.code(),
                                Unpooled.copiedBuffer("why", StandardCharsets.UTF_8), ctx.newPromise())),
                both(ctx -> writer.writeWindowUpdate(ctx, 0, 983_041, ctx.newPromise()),
                        ctx -> reference.writeWindowUpdate(ctx, 0, 983_041, ctx.newPromise())),
                both(ctx -> writer.writeWindowUpdate(ctx, 9, 1, ctx.newPromise()),
                        ctx -> reference.writeWindowUpdate(ctx, 9, 1, ctx.newPromise())));
        for (ByteBuf[] written : frames) {
            assertThat(ByteBufUtil.hexDump(written[0])).isEqualTo(ByteBufUtil.hexDump(written[1]));
            release(written);
        }
    }

    @Test
    void dataCopiedIntoItsFrameIsReleased() {
        ByteBuf data = payload(100);
        ChannelFuture future = writer.writeData(context(ours), 5, data, false, ours.newPromise());
        ours.flushOutbound();
        assertThat(future.isSuccess()).isTrue();
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void aHeaderListOverThePeersLimitFailsThePromiseAndWritesNothing() throws Exception {
        writer.headersConfiguration().maxHeaderListSize(100);
        Http2Headers large = new DefaultHttp2Headers().path("/svc/Method").add("x-big", "v".repeat(200));
        ChannelFuture future = writer.writeHeaders(context(ours), 1, large, false, ours.newPromise());
        assertThat(future.isDone()).isTrue();
        assertThat(future.cause()).isInstanceOf(Http2Exception.class);
        ours.flushOutbound();
        assertThat((Object) ours.readOutbound()).isNull();
    }

    @Test
    void anInvalidStreamIdFailsThePromiseAndReleasesTheData() {
        ByteBuf data = payload(16);
        ChannelFuture future = writer.writeData(context(ours), 0, data, false, ours.newPromise());
        assertThat(future.cause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void aWriteOnAClosedChannelFailsThePromiseAndReleasesTheData() {
        ours.close();
        ByteBuf data = payload(16);
        ChannelFuture future = writer.writeData(context(ours), 5, data, true, ours.newPromise());
        assertThat(future.isSuccess()).isFalse();
        assertThat(data.refCnt()).isZero();
        ChannelFuture headers = writer.writeHeaders(context(ours), 5, new DefaultHttp2Headers().path("/a"), true,
                ours.newPromise());
        assertThat(headers.isSuccess()).isFalse();
    }

    // ---- helpers ----

    /** The same write through our writer and through Netty's: the bytes each put on its channel. */
    private ByteBuf[] both(Function<ChannelHandlerContext, ChannelFuture> ourWrite,
            Function<ChannelHandlerContext, ChannelFuture> nettyWrite) {
        ChannelFuture a = ourWrite.apply(context(ours));
        ChannelFuture b = nettyWrite.apply(context(netty));
        ByteBuf[] out = {drain(ours), drain(netty)};
        assertThat(a.isSuccess()).as("our write: %s", a.cause()).isTrue();
        assertThat(b.isSuccess()).as("Netty's write: %s", b.cause()).isTrue();
        return out;
    }

    private int buffersWrittenBy(EmbeddedChannel channel, Function<ChannelHandlerContext, ChannelFuture> write) {
        write.apply(context(channel));
        channel.flushOutbound();
        List<ByteBuf> buffers = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            buffers.add(b);
        }
        buffers.forEach(ByteBuf::release);
        return buffers.size();
    }

    private static ByteBuf drain(EmbeddedChannel channel) {
        channel.flushOutbound();
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    private static ChannelHandlerContext context(EmbeddedChannel channel) {
        return channel.pipeline().firstContext();
    }

    private static ByteBuf payload(int size) {
        ByteBuf data = Unpooled.buffer(size);
        for (int i = 0; i < size; i++) {
            data.writeByte(i);
        }
        return data;
    }

    private static void release(ByteBuf[] buffers) {
        for (ByteBuf b : buffers) {
            b.release();
        }
    }
}
