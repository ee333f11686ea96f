package dev.lbchannel.transport;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Issue 18, item 6: our {@link ClientFrameReader} against Netty's {@link DefaultHttp2FrameReader}
 * on the same bytes, a grpc-java server's side of whole connections captured by
 * {@link FrameCapture}: {@code unary} (20 calls, 16 B each way), {@code streaming} (10 calls of
 * 100 × 16 B) and {@code large} (2 calls answered with 1 MiB in 16 KiB DATA frames). One
 * operation reads one whole connection with a fresh reader (HPACK's dynamic table must start
 * empty), either in the pieces its socket reads returned ({@code chunks}) or from one buffer
 * ({@code whole}). Both readers decode header blocks with the same HPACK decoder, the one the
 * transport uses, and hand frames to the same counting listener, so the difference is the frame
 * layer alone; {@link #freshDecoder} is the part of every operation both pay for that decoder.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameReaderBenchmark {

    /** The transport's default limit on a header list (gRPC's 8 KiB). */
    private static final int MAX_HEADER_LIST_SIZE = 8192;

    /** The two readers, each over a fresh HPACK decoder of the transport's kind. */
    enum Reader {
        OURS {
            @Override
            Http2FrameReader create() {
                return new ClientFrameReader(ResponseHeaders.decoder(MAX_HEADER_LIST_SIZE));
            }
        },
        NETTY {
            @Override
            Http2FrameReader create() {
                return new DefaultHttp2FrameReader(ResponseHeaders.decoder(MAX_HEADER_LIST_SIZE));
            }
        };

        abstract Http2FrameReader create();
    }

    @Param({"unary", "streaming", "large"})
    public String stream;

    @Param({"chunks", "whole"})
    public String feed;

    private EmbeddedChannel channel;
    private ChannelHandlerContext ctx;
    private ReplayFeed replay;
    private final CountingFrameListener listener = new CountingFrameListener();

    @Setup
    public void load() throws Http2Exception {
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ctx = channel.pipeline().firstContext();
        replay = new ReplayFeed(CapturedStream.load(stream), PooledByteBufAllocator.DEFAULT);
        requireSameFrames();
    }

    /** Both readers must see the same frames in the capture, or the comparison means nothing. */
    private void requireSameFrames() throws Http2Exception {
        String ours = summary(Reader.OURS);
        String netty = summary(Reader.NETTY);
        if (!ours.equals(netty)) {
            throw new IllegalStateException("The readers disagree on '" + stream + "': ours " + ours + ", Netty's "
                    + netty);
        }
    }

    private String summary(Reader reader) throws Http2Exception {
        read(reader);
        return listener.summary();
    }

    @TearDown
    public void release() {
        replay.close();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public long ours() throws Http2Exception {
        return read(Reader.OURS);
    }

    @Benchmark
    public long netty() throws Http2Exception {
        return read(Reader.NETTY);
    }

    /** What both readers' operations spend before the first byte: a new HPACK decoder. */
    @Benchmark
    public Object freshDecoder() {
        return ResponseHeaders.decoder(MAX_HEADER_LIST_SIZE);
    }

    private long read(Reader kind) throws Http2Exception {
        listener.reset();
        Http2FrameReader reader = kind.create();
        try {
            if ("whole".equals(feed)) {
                replay.readWhole(ctx, reader, listener);
            } else {
                replay.readChunks(ctx, reader, listener);
            }
        } finally {
            reader.close();
        }
        return listener.checksum();
    }
}
