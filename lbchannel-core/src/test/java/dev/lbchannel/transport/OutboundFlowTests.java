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
        server = RawHttp2Server.builder().answerAtEndOfRequest().start(e -> e.okResponse(e.streamId(), new byte[] {1}));
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");

        // Many calls, because request() schedules a batch of its own that used to split a
        // message from its half-close now and then.
        int calls = 50;
        TransportFixture.callOk(connected.transport(), calls);

        Await.until("every request's END_STREAM", () -> endedStreams(server) == calls);
        for (int streamId : server.requestStreams()) {
            assertThat(framesOf(server, streamId)).as("DATA frames of stream %d", streamId)
                    .containsExactly(new DataFrame(streamId, 5 + 3, true));
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

    @Test
    void aWindowTheServerShrankBelowZeroOpensAgainWithItsUpdatesAndSettings() throws Exception {
        OpenStream open = openBidi(RawHttp2Server.builder().initialWindowSize(100).keepsWindow());
        ClientStream stream = open.stream();
        int streamId = open.exchange().streamId();
        stream.writeMessage(framed(75));
        stream.flush();
        Await.until("80 bytes", () -> server.dataBytes(streamId) == 80);

        // RFC 9113 6.9.2: a smaller initial window applies to open streams too, whose windows may
        // fall below zero (20 - 100 = -80); a larger one then moves it by the difference (-30),
        // and a WINDOW_UPDATE arriving while it is below zero opens it (+1,024): no overflow anywhere.
        open.exchange().later(e -> e.raw(RawExchange.rawFrame(0x4, 0, 0, initialWindowSetting(0))));
        stream.writeMessage(framed(45));
        stream.flush();
        open.exchange().later(e -> e.raw(RawExchange.rawFrame(0x4, 0, 0, initialWindowSetting(50))));
        open.exchange().openWindow(1024);

        Await.until("the 50 bytes that waited", () -> server.dataBytes(streamId) == 130);
        assertThat(open.listener().closed.isDone()).as("closed early: %s", open.listener().closed.getNow(null)).isFalse();
        open.cancel();
    }

    @Test
    void aCallTheServerEndsWhileItsEndStreamWaitsForTheWindowIsReset() throws Exception {
        OpenStream open = openBidi(RawHttp2Server.builder().initialWindowSize(10).keepsWindow());
        int streamId = open.exchange().streamId();
        open.stream().writeMessage(framed(45));
        open.stream().halfClose(); // 10 bytes go; 40 and END_STREAM wait for a window that never opens
        Await.until("the window's 10 bytes", () -> server.dataBytes(streamId) == 10);

        open.exchange().later(e -> e.headers(RawHttp2Server.grpcHeaders().add("grpc-status", "0"), true));

        assertThat(open.listener().awaitClose().status().isOk()).isTrue();
        // Its END_STREAM never left: only RST_STREAM tells the server the stream is over.
        Await.until("RST_STREAM", () -> server.resetStreams().contains(streamId));
    }

    @Test
    void aStreamErrorWhileDataWaitsEndsTheCallWithTheErrorsStatus() throws Exception {
        OpenStream open = openBidi(RawHttp2Server.builder().initialWindowSize(10).keepsWindow());
        open.stream().writeMessage(framed(45));
        open.stream().flush();
        Await.until("the window's 10 bytes", () -> server.dataBytes(open.exchange().streamId()) == 10);

        String big = "x".repeat(TransportOptions.DEFAULT_MAX_INBOUND_METADATA_SIZE);
        open.exchange().later(e -> e.headers(RawHttp2Server.grpcHeaders().add("x-big", big), false));

        assertThat(open.listener().awaitClose().status().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void aStreamAboveTheServersGoAwayIsRefusedEvenWithDataWaiting() throws Exception {
        OpenStream open = openBidi(RawHttp2Server.builder().initialWindowSize(10).keepsWindow());
        open.stream().writeMessage(framed(45));
        open.stream().flush();
        Await.until("the window's 10 bytes", () -> server.dataBytes(open.exchange().streamId()) == 10);

        open.exchange().later(e -> e.goAway(0, io.netty.handler.codec.http2.Http2Error.NO_ERROR, "draining"));

        RecordingStreamListener.Closed closed = open.listener().awaitClose();
        assertThat(closed.status().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        assertThat(closed.progress()).isEqualTo(RpcProgress.REFUSED); // safe to retry elsewhere
    }

    @Test
    void aSmallCallIsNotHeldBehindALargeUploadInTheSocketsBuffer() throws Exception {
        // Windows far larger than the upload: only the sockets' buffers hold it back. The server's
        // receive buffer is fixed and small, so what sits in the kernel ahead of the small call is
        // at most the client's send buffer (autotuned up to tcp_wmem's maximum, 4 MiB by default).
        OpenStream open = openBidi(RawHttp2Server.builder().initialWindowSize(64 * 1024 * 1024)
                .receiveBuffer(64 * 1024));
        open.exchange().openWindow(64 * 1024 * 1024); // and the connection's
        ClientStream upload = open.stream();
        int uploadBytes = 256 * (5 + 64 * 1024); // 16 MiB
        for (int i = 0; i < 256; i++) {
            upload.writeMessage(framed(64 * 1024));
        }
        upload.flush();
        RecordingStreamListener smallListener = new RecordingStreamListener();
        ClientStream small = TransportFixture.open(open.transport(), BIDI, new Metadata(), CallOptions.DEFAULT, -1,
                smallListener);
        small.writeMessage(framed(10));
        small.flush();
        Await.until("the small call's DATA", () -> server.dataFrames().stream().anyMatch(f -> f.bytes() == 15));

        // DATA goes to the socket only as fast as it takes it, and waiting streams take turns a
        // frame at a time: the small call's frame is not queued behind the upload's 16 MiB.
        long uploadedFirst = 0;
        for (DataFrame frame : server.dataFrames()) {
            if (frame.bytes() == 15) {
                break;
            }
            uploadedFirst += frame.bytes();
        }
        assertThat(uploadedFirst).isLessThan(uploadBytes / 2);
        small.cancel(io.grpc.Status.CANCELLED.withDescription("test over"));
        smallListener.awaitClose();
        open.cancel();
    }

    private static byte[] initialWindowSetting(int size) {
        return new byte[] {0, 0x4, (byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
    }

    /** A bidi stream whose HEADERS the server has seen, on a server {@code builder} starts. */
    private record OpenStream(RawExchange exchange, ClientStream stream, RecordingStreamListener listener,
            ClientTransport transport) {
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
        return new OpenStream(exchange.get(), stream, listener, connected.transport());
    }

    static ByteBuf framed(int size) {
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
