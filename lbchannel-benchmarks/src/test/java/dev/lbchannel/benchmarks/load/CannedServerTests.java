package dev.lbchannel.benchmarks.load;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The canned server answers as grpc-java's {@code TestServiceImpl} does for what the harness
 * asks, to both libraries' clients: the sizes asked for, one response per requested one, status
 * OK, a request split across DATA frames, and UNIMPLEMENTED for any other method. (Its
 * {@link CannedCalls} on an in-process Netty server, as {@link CannedServer} runs it.)
 */
@Timeout(60)
class CannedServerTests {

    private final List<ManagedChannel> channels = new ArrayList<>();
    private EventLoopGroup loop;
    private int port;

    @BeforeEach
    void startServer() throws InterruptedException {
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel listening = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(CannedCalls.newHandler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        port = ((InetSocketAddress) listening.localAddress()).getPort();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @ParameterizedTest
    @EnumSource(value = ClientKind.class, names = {"LBCHANNEL", "GRPC_DIRECT"})
    void aUnaryCallGetsThePayloadSizeItAskedFor(ClientKind kind) {
        TestServiceGrpc.TestServiceBlockingStub stub = stub(kind);
        for (int size : new int[] {0, 16, 1024, 100_000}) {
            assertThat(stub.unaryCall(SimpleRequest.newBuilder().setResponseSize(size).build()).getPayload()
                    .getBody().size()).as("response size asked: %d", size).isEqualTo(size);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ClientKind.class, names = {"LBCHANNEL", "GRPC_DIRECT"})
    void aRequestSplitAcrossDataFramesIsAnsweredOnce(ClientKind kind) {
        // 200 KB: more than a 16 KiB DATA frame, so the server reassembles it.
        SimpleRequest large = SimpleRequest.newBuilder().setResponseSize(7)
                .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[200_000]))).build();

        assertThat(stub(kind).unaryCall(large).getPayload().getBody().size()).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(value = ClientKind.class, names = {"LBCHANNEL", "GRPC_DIRECT"})
    void aServerStreamingCallGetsOneResponsePerParameterInOrder(ClientKind kind) {
        StreamingOutputCallRequest request = StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(1))
                .addResponseParameters(ResponseParameters.newBuilder().setSize(16))
                .addResponseParameters(ResponseParameters.newBuilder().setSize(0))
                .addResponseParameters(ResponseParameters.newBuilder().setSize(40_000))
                .build();

        List<Integer> sizes = new ArrayList<>();
        for (Iterator<StreamingOutputCallResponse> it = stub(kind).streamingOutputCall(request); it.hasNext(); ) {
            sizes.add(it.next().getPayload().getBody().size());
        }
        assertThat(sizes).containsExactly(1, 16, 0, 40_000);
    }

    @ParameterizedTest
    @EnumSource(value = ClientKind.class, names = {"LBCHANNEL", "GRPC_DIRECT"})
    void aBidiCallIsAnsweredPerRequestAndClosedOkAfterTheHalfClose(ClientKind kind) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        CompletableFuture<Status> closed = new CompletableFuture<>();
        StreamObserver<StreamingOutputCallRequest> requests = TestServiceGrpc.newStub(channel(kind))
                .fullDuplexCall(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamingOutputCallResponse response) {
                        synchronized (sizes) {
                            sizes.add(response.getPayload().getBody().size());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        closed.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        closed.complete(Status.OK);
                    }
                });
        requests.onNext(StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(3)).build());
        requests.onNext(StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(5))
                .addResponseParameters(ResponseParameters.newBuilder().setSize(8)).build());
        requests.onCompleted();

        assertThat(closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        synchronized (sizes) {
            assertThat(sizes).containsExactly(3, 5, 8);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ClientKind.class, names = {"LBCHANNEL", "GRPC_DIRECT"})
    void anyOtherMethodIsUnimplemented(ClientKind kind) {
        assertThatThrownBy(() -> stub(kind).emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    private TestServiceGrpc.TestServiceBlockingStub stub(ClientKind kind) {
        return TestServiceGrpc.newBlockingStub(channel(kind)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private ManagedChannel channel(ClientKind kind) {
        ManagedChannel channel = kind.open(port);
        channels.add(channel);
        return channel;
    }
}
