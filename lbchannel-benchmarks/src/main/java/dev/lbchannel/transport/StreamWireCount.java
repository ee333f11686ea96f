package dev.lbchannel.transport;

import dev.lbchannel.LbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceImpl;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what crosses the wire both ways for the load harness's streaming workload (16 chains
 * of server-streaming calls, 100 × 16 B each), for lbchannel and grpc-java's client with
 * {@code directExecutor()}: socket reads and frames by type per streamed message. Wire
 * behaviour is what the server's CPU per message depends on, and it does not move with the
 * machine's load as timings do. Entry point: {@code StreamWireCount lbchannel|grpc-java-direct [CALLS]}.
 */
public final class StreamWireCount {

    private static final int CONCURRENCY = 16;
    private static final int MESSAGES = 100;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private StreamWireCount() {
    }

    public static void main(String[] args) throws Exception {
        String client = args.length > 0 ? args[0] : "lbchannel";
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor().addService(new TestServiceImpl(scheduler)).build().start();
        try (RecordingProxy proxy = new RecordingProxy(server.getPort())) {
            ManagedChannel channel = open(client, proxy.port());
            try {
                run(channel, calls);
            } finally {
                channel.shutdown();
                channel.awaitTermination(10, TimeUnit.SECONDS);
            }
            long messages = (long) calls * MESSAGES;
            report("server -> client", proxy.serverBytes(), false, messages);
            report("client -> server", proxy.clientBytes(), true, messages);
        } finally {
            server.shutdownNow();
            scheduler.shutdownNow();
        }
    }

    private static ManagedChannel open(String client, int port) {
        return switch (client) {
            case "lbchannel" -> LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext()
                    .directExecutor().build();
            case "grpc-java-direct" -> NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .usePlaintext().directExecutor().build();
            default -> throw new IllegalArgumentException("Unknown client '" + client
                    + "'; use lbchannel or grpc-java-direct");
        };
    }

    private static void run(ManagedChannel channel, int calls) throws Exception {
        StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
        for (int i = 0; i < MESSAGES; i++) {
            request.addResponseParameters(ResponseParameters.newBuilder().setSize(16));
        }
        Chains chains = new Chains(TestServiceGrpc.newStub(channel), request.build(), calls);
        for (int i = 0; i < CONCURRENCY; i++) {
            chains.next();
        }
        chains.done.get(120, TimeUnit.SECONDS);
    }

    /** Chains of calls, as the harness runs them: each finished call starts the next until all are started. */
    private static final class Chains {
        private final TestServiceGrpc.TestServiceStub stub;
        private final StreamingOutputCallRequest request;
        private final int calls;
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        Chains(TestServiceGrpc.TestServiceStub stub, StreamingOutputCallRequest request, int calls) {
            this.stub = stub;
            this.request = request;
            this.calls = calls;
        }

        void next() {
            if (started.incrementAndGet() > calls) {
                return;
            }
            stub.streamingOutputCall(request, new StreamObserver<StreamingOutputCallResponse>() {
                @Override
                public void onNext(StreamingOutputCallResponse value) {
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    if (finished.incrementAndGet() == calls) {
                        done.complete(null);
                    }
                    next();
                }
            });
        }
    }

    private static void report(String direction, List<byte[]> chunks, boolean client, long messages)
            throws Exception {
        CapturedStream stream = new CapturedStream(direction, chunks);
        byte[] all = stream.whole();
        if (client) {
            if (!Arrays.equals(Arrays.copyOf(all, PREFACE.length), PREFACE)) {
                throw new IllegalStateException("The client's bytes do not start with the HTTP/2 preface");
            }
            all = Arrays.copyOfRange(all, PREFACE.length, all.length);
        }
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        CountingFrameListener counts = new CountingFrameListener();
        try (ReplayFeed feed = new ReplayFeed(new CapturedStream(direction, List.of(all)),
                UnpooledByteBufAllocator.DEFAULT)) {
            feed.readWhole(channel.pipeline().firstContext(),
                    new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false)), counts);
        } finally {
            channel.finishAndReleaseAll();
        }
        System.out.printf("%s: %d reads (%.4f per message), %d bytes (%.1f per message); %s; per message: "
                        + "%.4f DATA frames, %.4f WINDOW_UPDATE, %.4f PING%n", direction, chunks.size(),
                (double) chunks.size() / messages, all.length, (double) all.length / messages, counts.summary(),
                (double) counts.dataFrames / messages, (double) counts.windowUpdates / messages,
                (double) counts.pings / messages);
    }
}
