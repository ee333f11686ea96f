package dev.lbchannel.transport;

import com.google.protobuf.ByteString;
import dev.lbchannel.LbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceImpl;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Records what a grpc-java server sends to an lbchannel client on one connection, for
 * {@link FrameReaderBenchmark}: a {@link RecordingProxy} sits between them on loopback, so the
 * capture holds the whole connection (SETTINGS, acknowledgements, WINDOW_UPDATE, PING, HEADERS
 * with HPACK's dynamic table in use, DATA, GOAWAY) in the pieces its socket reads returned.
 * Entry point: {@code FrameCapture [DIRECTORY]}, by default this module's resource directory;
 * run from the repository root with the benchmarks jar on the class path.
 */
public final class FrameCapture {

    private static final Path DEFAULT_DIRECTORY =
            Path.of("lbchannel-benchmarks/src/main/resources/dev/lbchannel/transport/frames");
    private static final int SMALL = 16;
    private static final int LARGE = 1024 * 1024;

    private FrameCapture() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = args.length > 0 ? Path.of(args[0]) : DEFAULT_DIRECTORY;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(new TestServiceImpl(scheduler))
                .build()
                .start();
        try {
            // 20 unary calls, 16 B each way
            capture(server, "unary", stub -> {
                SimpleRequest request = unary(SMALL);
                for (int i = 0; i < 20; i++) {
                    stub.unaryCall(request);
                }
            }, directory);
            // 10 server-streaming calls of 100 × 16 B
            capture(server, "streaming", stub -> {
                StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
                for (int i = 0; i < 100; i++) {
                    request.addResponseParameters(ResponseParameters.newBuilder().setSize(SMALL));
                }
                for (int i = 0; i < 10; i++) {
                    Iterator<?> responses = stub.streamingOutputCall(request.build());
                    responses.forEachRemaining(response -> { });
                }
            }, directory);
            // 2 unary calls answered with 1 MiB, which the server frames as 16 KiB DATA frames
            capture(server, "large", stub -> {
                SimpleRequest request = unary(SMALL).toBuilder().setResponseSize(LARGE).build();
                for (int i = 0; i < 2; i++) {
                    stub.unaryCall(request);
                }
            }, directory);
        } finally {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
            scheduler.shutdownNow();
        }
    }

    private static SimpleRequest unary(int size) {
        return SimpleRequest.newBuilder()
                .setResponseSize(size)
                .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
                .build();
    }

    private static void capture(Server server, String name, Consumer<TestServiceGrpc.TestServiceBlockingStub> calls,
            Path directory) throws Exception {
        CapturedStream stream;
        try (RecordingProxy proxy = new RecordingProxy(server.getPort())) {
            ManagedChannel channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + proxy.port())
                    .usePlaintext()
                    .directExecutor()
                    .maxInboundMessageSize(2 * LARGE)
                    .build();
            try {
                calls.accept(TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
            } finally {
                channel.shutdown();
                channel.awaitTermination(10, TimeUnit.SECONDS);
            }
            stream = new CapturedStream(name, proxy.serverBytes());
        }
        stream.write(directory);
        System.out.println(name + ": " + stream.chunks().size() + " reads, " + stream.whole().length + " bytes, "
                + describe(stream));
    }

    /** What Netty's reader finds in the capture, as a check that it is whole. */
    private static String describe(CapturedStream stream) throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        try (ReplayFeed feed = new ReplayFeed(stream, UnpooledByteBufAllocator.DEFAULT)) {
            CountingFrameListener counts = new CountingFrameListener();
            feed.readChunks(channel.pipeline().firstContext(), FrameReaderBenchmark.Reader.NETTY.create(), counts);
            return counts.summary();
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
