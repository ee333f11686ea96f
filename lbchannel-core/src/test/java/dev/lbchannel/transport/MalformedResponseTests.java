package dev.lbchannel.transport;

import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import dev.lbchannel.transport.RecordingStreamListener.Closed;
import dev.lbchannel.transport.TransportFixture.Connected;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Responses that break gRPC's rules, from a raw HTTP/2 server: each ends in the documented status. */
@Timeout(60)
class MalformedResponseTests {

    static final MethodDescriptor<byte[], byte[]> METHOD = RawMethods.UNARY;

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

    private Closed call(RawHttp2Server.Script script) throws Exception {
        RecordingStreamListener listener = start(script, fixture.options().build());
        return listener.awaitClose();
    }

    private RecordingStreamListener start(RawHttp2Server.Script script, TransportOptions options) throws Exception {
        server = RawHttp2Server.start(script);
        Connected connected = fixture.connect(options, server.address(), "localhost");
        return send(connected);
    }

    private static RecordingStreamListener send(Connected connected) {
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connected.transport(), METHOD, new Metadata(), CallOptions.DEFAULT, -1, listener);
        stream.request(5);
        stream.writeMessage(MessageFramer.frame(io.netty.buffer.ByteBufAllocator.DEFAULT,
                new ByteArrayInputStream(new byte[] {1, 2, 3}), null, Integer.MAX_VALUE));
        stream.halfClose();
        return listener;
    }

    @Test
    void wellFormedResponseSucceeds() throws Exception {
        RecordingStreamListener listener = start(e -> e.okResponse(e.streamId(), new byte[] {7, 8}),
                fixture.options().build());

        assertThat(listener.awaitClose().status().isOk()).isTrue();
        assertThat(listener.awaitMessage()).containsExactly(7, 8);
    }

    @Test
    void missingGrpcStatusIsUnknown() throws Exception {
        Closed closed = call(e -> e.headers(RawHttp2Server.grpcHeaders(), false)
                .headers(new DefaultHttp2Headers().add("x-other", "1"), true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.UNKNOWN);
    }

    @Test
    void http503IsUnavailable() throws Exception {
        Closed closed = call(e -> e.headers(new DefaultHttp2Headers().status("503")
                .add("content-type", "text/html"), true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(closed.status().getDescription()).contains("503");
    }

    @Test
    void http404WithBodyIsUnimplemented() throws Exception {
        Closed closed = call(e -> e.headers(new DefaultHttp2Headers().status("404"), false)
                .data("not found".getBytes(), true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void wrongContentTypeIsUnknown() throws Exception {
        Closed closed = call(e -> e.headers(new DefaultHttp2Headers().status("200")
                .add("content-type", "text/html"), false).data("<html>".getBytes(), true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.UNKNOWN);
    }

    @Test
    void compressedFlagWithoutGrpcEncodingIsInternal() throws Exception {
        Closed closed = call(e -> e.headers(RawHttp2Server.grpcHeaders(), false)
                .data(RawHttp2Server.frame(true, new byte[] {1, 2, 3}), false)
                .headers(RawHttp2Server.grpcTrailers(0), true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void unknownGrpcEncodingOnACompressedMessageIsInternal() throws Exception {
        Closed closed = call(e -> e.headers(RawHttp2Server.grpcHeaders().add("grpc-encoding", "zstd-fancy"), false)
                .data(RawHttp2Server.frame(true, new byte[] {1, 2, 3}), false)
                .headers(RawHttp2Server.grpcTrailers(0), true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(closed.status().getDescription()).contains("zstd-fancy");
    }

    @Test
    void streamEndingInsideAMessageIsInternal() throws Exception {
        byte[] truncated = new byte[8];
        System.arraycopy(RawHttp2Server.frame(false, new byte[10]), 0, truncated, 0, 8);
        Closed closed = call(e -> e.headers(RawHttp2Server.grpcHeaders(), false).data(truncated, true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void trailersAfterAPartialMessageAreInternal() throws Exception {
        byte[] truncated = new byte[8];
        System.arraycopy(RawHttp2Server.frame(false, new byte[10]), 0, truncated, 0, 8);
        Closed closed = call(e -> e.headers(RawHttp2Server.grpcHeaders(), false).data(truncated, false)
                .headers(RawHttp2Server.grpcTrailers(0), true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void refusedStreamIsUnavailableAndRetryable() throws Exception {
        Closed closed = call(e -> e.rst(Http2Error.REFUSED_STREAM));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(closed.progress()).isEqualTo(RpcProgress.REFUSED);
    }

    @Test
    void resetWithCancelIsCancelled() throws Exception {
        Closed closed = call(e -> e.headers(RawHttp2Server.grpcHeaders(), false).rst(Http2Error.CANCEL));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(closed.progress()).isIn(RpcProgress.PROCESSED, RpcProgress.COMPLETED);
    }

    @Test
    void trailersOnlyCarriesStatusAndPercentDecodedMessage() throws Exception {
        Closed closed = call(e -> e.headers(RawHttp2Server.grpcHeaders().add("grpc-status", "5")
                .add("grpc-message", "no %E2%82%AC here %zz"), true));

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(closed.status().getDescription()).isEqualTo("no \u20ac here %zz");
    }

    @Test
    void oversizedMetadataIsResourceExhausted() throws Exception {
        String big = "x".repeat(2000);
        RecordingStreamListener listener = start(e -> e.headers(RawHttp2Server.grpcHeaders()
                .add("a1", big).add("a2", big).add("a3", big), false)
                .headers(RawHttp2Server.grpcTrailers(0), true),
                fixture.options().maxInboundMetadataSize(4096).build());

        Closed closed = listener.awaitClose();
        assertThat(closed.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(closed.status().getDescription()).doesNotContain(big);
    }

    @Test
    void connectionLossFailsStartedStreamsUnavailable() throws Exception {
        Closed closed = call(e -> e.headers(RawHttp2Server.grpcHeaders(), false).closeConnection());

        assertThat(closed.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(closed.progress()).isIn(RpcProgress.PROCESSED, RpcProgress.COMPLETED);
    }

    @Test
    void goAwayRefusesStreamsAboveLastStreamIdAndLetsOthersFinish() throws Exception {
        List<Integer> seen = new ArrayList<>();
        server = RawHttp2Server.start(e -> {
            seen.add(e.streamId());
            if (e.index() == 2) {
                int first = seen.get(0);
                e.goAway(first, Http2Error.NO_ERROR, "draining");
                e.okResponse(first, new byte[] {42});
            }
        });
        Connected connected = fixture.connect(fixture.options().build(), server.address(), "localhost");
        RecordingStreamListener first = send(connected);
        TransportFixture.await(() -> server.requests() == 1, 10, "first request");
        RecordingStreamListener second = send(connected);
        TransportFixture.await(() -> server.requests() == 2, 10, "second request");
        RecordingStreamListener third = send(connected);

        assertThat(first.awaitClose().status().isOk()).isTrue();
        assertThat(first.awaitMessage()).containsExactly(42);
        for (RecordingStreamListener refused : List.of(second, third)) {
            Closed closed = refused.awaitClose();
            assertThat(closed.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(closed.progress()).isEqualTo(RpcProgress.REFUSED);
        }
        assertThat(connected.listener().awaitShutdown().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        connected.listener().awaitTerminated();
        Closed late = send(connected).awaitClose();
        assertThat(late.progress()).isEqualTo(RpcProgress.MISCARRIED); // never left the client
        assertThat(connected.listener().shutdownCount.get()).isEqualTo(1);
        assertThat(connected.listener().terminatedCount.get()).isEqualTo(1);
    }

    @Test
    void tooManyPingsDoublesKeepAliveForLaterTransports() throws Exception {
        server = RawHttp2Server.start(e -> e.goAway(0, Http2Error.ENHANCE_YOUR_CALM, "too_many_pings"));
        TransportOptions options = fixture.options()
                .keepAlive(java.util.concurrent.TimeUnit.SECONDS.toNanos(20), java.util.concurrent.TimeUnit.SECONDS.toNanos(5), false)
                .build();
        Connected connected = fixture.connect(options, server.address(), "localhost");
        NettyTransportFactory factory = (NettyTransportFactory) connected.factory();

        send(connected).awaitClose();
        connected.listener().awaitTerminated();

        assertThat(factory.keepAliveTimeNanos()).isEqualTo(java.util.concurrent.TimeUnit.SECONDS.toNanos(40));
    }
}
