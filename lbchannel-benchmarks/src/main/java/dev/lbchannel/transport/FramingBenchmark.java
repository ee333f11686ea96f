package dev.lbchannel.transport;

import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
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

import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * gRPC message framing both ways, at a 16 B, 1 KiB and 1 MiB payload. {@link #frame} is what a
 * call does per outbound message: the protobuf marshaller's stream drained into one pooled
 * buffer behind the 5-byte prefix. {@link #deframe} is what a stream does per inbound message:
 * the framed bytes arrive as DATA payloads of at most 16 KiB (HTTP/2's default frame size) and
 * come out as one message, then released. In this package for the package-private deframer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FramingBenchmark {

    private static final int DATA_FRAME_SIZE = 16 * 1024;

    @Param({"16", "1024", "1048576"})
    public int payloadBytes;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final MethodDescriptor.Marshaller<SimpleRequest> marshaller =
            ProtoUtils.marshaller(SimpleRequest.getDefaultInstance());
    private SimpleRequest request;
    /** The framed request, cut into DATA-frame-sized pieces, kept for the deframer to slice. */
    private ByteBuf[] dataFrames;

    @Setup
    public void build() {
        request = SimpleRequest.newBuilder()
                .setResponseSize(payloadBytes)
                .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[payloadBytes])))
                .build();
        ByteBuf framed = MessageFramer.frame(alloc, marshaller.stream(request), null, Integer.MAX_VALUE);
        int pieces = (framed.readableBytes() + DATA_FRAME_SIZE - 1) / DATA_FRAME_SIZE;
        dataFrames = new ByteBuf[pieces];
        for (int i = 0; i < pieces; i++) {
            dataFrames[i] = framed.readRetainedSlice(Math.min(DATA_FRAME_SIZE, framed.readableBytes()));
        }
        framed.release();
    }

    @TearDown
    public void release() {
        for (ByteBuf piece : dataFrames) {
            piece.release();
        }
    }

    @Benchmark
    public int frame() {
        ByteBuf frame = MessageFramer.frame(alloc, marshaller.stream(request), null, Integer.MAX_VALUE);
        int size = frame.readableBytes();
        frame.release();
        return size;
    }

    @Benchmark
    public int deframe() throws Exception {
        InboundDeframer deframer = new InboundDeframer(alloc, Integer.MAX_VALUE);
        for (ByteBuf piece : dataFrames) {
            // A DATA frame's payload as the HTTP/2 codec hands it over: a retained view.
            deframer.add(piece.retainedDuplicate());
        }
        int size;
        try (InputStream message = deframer.next()) {
            if (message == null) {
                throw new IllegalStateException("no whole message");
            }
            size = message.available();
        }
        deframer.close();
        return size;
    }
}
