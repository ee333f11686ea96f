package dev.lbchannel.transport;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RawExchange;
import dev.lbchannel.testing.RawHttp2Server.DataFrame;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import dev.lbchannel.transport.TransportFixture.Connected;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What requests put on the wire, seen by a raw HTTP/2 server: DATA frames, END_STREAM, flow control. */
@Timeout(60)
class OutboundFlowTests {

    static final MethodDescriptor<byte[], byte[]> BIDI = RawMethods.BIDI;

    private TransportFixture fixture;
    private RawHttp2Server server;

    @BeforeEach
    void setUp() {
        fixture = new TransportFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void unaryRequestIsHeadersAndOneDataFrameCarryingEndStream() throws Exception {
        List<Integer> streamIds = new ArrayList<>();
        server = RawHttp2Server.builder().answerAtEndOfRequest().start(e -> {
            synchronized (streamIds) {
                streamIds.add(e.streamId());
            }
            e.okResponse(e.streamId(), new byte[] {1});
        });
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");

        // Many calls, because request() schedules a batch of its own that used to split a
        // message from its half-close now and then.
        int calls = 50;
        for (int i = 0; i < calls; i++) {
            RecordingStreamListener listener = new RecordingStreamListener();
            ClientStream stream = TransportFixture.open(connected.transport(), MalformedResponseTests.METHOD, new Metadata(),
                    CallOptions.DEFAULT, -1, listener);
            stream.request(1);
            stream.writeMessage(framed(3));
            stream.halfClose();
            assertThat(listener.awaitClose().status().isOk()).isTrue();
        }

        Await.until("every request's END_STREAM", () -> endedStreams(server) == calls);
        synchronized (streamIds) {
            for (int streamId : streamIds) {
                assertThat(framesOf(server, streamId)).as("DATA frames of stream %d", streamId)
                        .containsExactly(new DataFrame(streamId, 5 + 3, true));
            }
        }
    }

    @Test
    void halfCloseRidesOnTheLastMessageEvenWhenABatchRanInBetween() throws Exception {
        AtomicReference<RawExchange> exchange = new AtomicReference<>();
        server = RawHttp2Server.builder().answerAtEndOfRequest().start(e -> {
            exchange.set(e);
            e.okResponse(e.streamId(), new byte[] {1});
        });
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connected.transport(), MalformedResponseTests.METHOD, new Metadata(),
                CallOptions.DEFAULT, -1, listener);
        stream.writeMessage(framed(3));
        stream.request(1); // queues a batch of its own, which runs before the half-close
        ((NettyClientTransport) connected.transport()).eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS);
        stream.halfClose();

        assertThat(listener.awaitClose().status().isOk()).isTrue();
        int streamId = exchange.get().streamId();
        assertThat(framesOf(server, streamId)).containsExactly(new DataFrame(streamId, 5 + 3, true));
    }

    @Test
    void halfCloseAfterAFlushedMessageSendsAnEmptyEndStream() throws Exception {
        AtomicReference<RawExchange> exchange = new AtomicReference<>();
        server = RawHttp2Server.start(exchange::set);
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connected.transport(), BIDI, new Metadata(), CallOptions.DEFAULT, -1, listener);
        stream.writeMessage(framed(10));
        stream.flush();
        Await.until("the request", () -> exchange.get() != null);
        int streamId = exchange.get().streamId();
        Await.until("the flushed message", () -> server.dataBytes(streamId) == 15);

        stream.halfClose();

        Await.until("END_STREAM", () -> endedStreams(server) == 1);
        assertThat(framesOf(server, streamId))
                .containsExactly(new DataFrame(streamId, 15, false), new DataFrame(streamId, 0, true));
    }

    @Test
    void notReadyWhileTheServerWindowIsClosedThenOnReadyWhenItOpens() throws Exception {
        AtomicReference<RawExchange> exchange = new AtomicReference<>();
        server = RawHttp2Server.builder().initialWindowSize(0).start(exchange::set);
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connected.transport(), BIDI, new Metadata(), CallOptions.DEFAULT, -1, listener);
        stream.flush();
        Await.until("the stream to be ready", stream::isReady);
        Await.until("the request", () -> exchange.get() != null);
        int readyCalls = listener.onReady.get();

        int written = 0;
        long bytes = 0;
        while (stream.isReady() && written < 100) {
            stream.writeMessage(framed(8 * 1024));
            stream.flush();
            written++;
            bytes += 5 + 8 * 1024;
        }
        assertThat(stream.isReady()).isFalse();
        assertThat(written).isEqualTo(4); // 4 x 8 KiB reach the 32 KiB threshold
        assertThat(server.dataBytes(exchange.get().streamId())).isZero();

        exchange.get().openWindow(1024 * 1024);

        Await.until("onReady", () -> listener.onReady.get() > readyCalls);
        assertThat(stream.isReady()).isTrue();
        long sent = bytes;
        Await.until("all bytes at the server", () -> server.dataBytes(exchange.get().streamId()) == sent);
        assertThat(listener.onReady.get()).isEqualTo(readyCalls + 1);
        stream.cancel(io.grpc.Status.CANCELLED.withDescription("test over"));
        assertThat(listener.awaitClose().status().getCode()).isEqualTo(io.grpc.Status.Code.CANCELLED);
    }

    @Test
    void smallMessagesBeyondTheServersWindowWaitInOrderBehindTheOneThatDidNotFit() throws Exception {
        OpenStream open = openBidi(RawHttp2Server.builder().initialWindowSize(60).keepsWindow());
        ClientStream stream = open.stream();
        int streamId = open.exchange().streamId();

        // Framed: 25 and 25 bytes fit the 60-byte window and go out as they are written; the 35
        // after them gets the 10 bytes left and waits; the 15 after that must wait behind it.
        for (int size : new int[] {20, 20, 30, 10}) {
            stream.writeMessage(framed(size));
            stream.flush();
        }
        Await.until("the window's 60 bytes", () -> server.dataBytes(streamId) == 60);
        open.exchange().openWindow(1024);
        Await.until("every byte", () -> server.dataBytes(streamId) == 25 + 25 + 35 + 15);

        assertThat(framesOf(server, streamId)).containsExactly(new DataFrame(streamId, 25, false),
                new DataFrame(streamId, 25, false), new DataFrame(streamId, 10, false), new DataFrame(streamId, 40, false));
        assertThat(open.listener().closed.isDone()).as("closed early: %s", open.listener().closed.getNow(null)).isFalse();
        open.cancel();
    }

    @Test
    void aSmallMessageNeverOvertakesALargerOneQueuedBeforeIt() throws Exception {
        OpenStream open = openBidi(RawHttp2Server.builder());
        ClientStream stream = open.stream();
        int streamId = open.exchange().streamId();

        // The large one is more than a frame, so it goes out as two; the small one written after
        // it, which fits a frame of its own, must follow the large one's last frame.
        int large = 20_000;
        stream.writeMessage(framed(large));
        stream.writeMessage(framed(10));
        stream.flush();
        Await.until("both messages", () -> server.dataBytes(streamId) == 5 + large + 15);

        assertThat(framesOf(server, streamId)).extracting(DataFrame::bytes)
                .containsExactly(16_384, 5 + large - 16_384, 15);
        open.cancel();
    }

    @Test
    void theCallsOnReadyThresholdDecidesReadiness() throws Exception {
        AtomicReference<RawExchange> exchange = new AtomicReference<>();
        server = RawHttp2Server.builder().initialWindowSize(0).start(exchange::set);
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connected.transport(), BIDI, new Metadata(),
                CallOptions.DEFAULT.withOnReadyThreshold(100 * 1024), -1, listener);
        stream.flush();
        Await.until("the stream to be ready", stream::isReady);

        int written = 0;
        while (stream.isReady() && written < 100) {
            stream.writeMessage(framed(8 * 1024));
            stream.flush();
            written++;
        }
        assertThat(written).isEqualTo(13); // 13 x (8 KiB + 5) pass 100 KiB; the default threshold stops at 4
        stream.cancel(io.grpc.Status.CANCELLED.withDescription("test over"));
        listener.awaitClose();
    }

    @Test
    void headersTheServerWillNotTakeFailTheStreamInsteadOfHangingIt() throws Exception {
        server = RawHttp2Server.builder().maxHeaderListSize(1024).start(e -> e.okResponse(e.streamId(), new byte[] {1}));
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");
        Metadata huge = new Metadata();
        huge.put(Metadata.Key.of("x-huge", Metadata.ASCII_STRING_MARSHALLER), "x".repeat(4096));
        RecordingStreamListener listener = new RecordingStreamListener();

        ClientStream stream = TransportFixture.open(connected.transport(), BIDI, huge, CallOptions.DEFAULT, -1, listener);
        stream.writeMessage(framed(10));
        stream.halfClose();

        RecordingStreamListener.Closed closed = listener.awaitClose();
        assertThat(closed.status().isOk()).as(closed.status().toString()).isFalse();
        assertThat(closed.progress()).isEqualTo(RpcProgress.PROCESSED); // it would fail anywhere: no transparent retry
        assertThat(server.requests()).isZero();
    }

    /** A bidi stream whose HEADERS the server has seen, on a server {@code builder} starts. */
    private record OpenStream(RawExchange exchange, ClientStream stream, RecordingStreamListener listener) {
        void cancel() throws Exception {
            stream.cancel(io.grpc.Status.CANCELLED.withDescription("test over"));
            listener.awaitClose();
        }
    }

    private OpenStream openBidi(RawHttp2Server.Builder builder) throws Exception {
        AtomicReference<RawExchange> exchange = new AtomicReference<>();
        server = builder.start(exchange::set);
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connected.transport(), BIDI, new Metadata(), CallOptions.DEFAULT, -1, listener);
        stream.flush();
        Await.until("the request", () -> exchange.get() != null);
        return new OpenStream(exchange.get(), stream, listener);
    }

    private static ByteBuf framed(int size) {
        return MessageFramer.frame(ByteBufAllocator.DEFAULT, new ByteArrayInputStream(new byte[size]), null,
                Integer.MAX_VALUE);
    }

    private static long endedStreams(RawHttp2Server server) {
        return server.dataFrames().stream().filter(DataFrame::endOfStream).count();
    }

    private static List<DataFrame> framesOf(RawHttp2Server server, int streamId) {
        return server.dataFrames().stream().filter(f -> f.streamId() == streamId).toList();
    }
}
