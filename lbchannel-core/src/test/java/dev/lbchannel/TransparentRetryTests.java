package dev.lbchannel;

import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.netty.handler.codec.http2.Http2Error;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RPCs the server never processed (REFUSED_STREAM, above a GOAWAY's last stream) are retried once. */
@Timeout(60)
class TransparentRetryTests {

    private static final MethodDescriptor<byte[], byte[]> ECHO = RawMethods.UNARY;
    private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.UTF_8);

    private RawHttp2Server server;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (server != null) {
            server.close();
        }
    }

    private byte[] call() {
        channel = channel != null ? channel : LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + server.address().getPort())
                .usePlaintext().build();
        return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                "question".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusedStreamIsRetriedTransparently() {
        AtomicInteger seen = new AtomicInteger();
        server = RawHttp2Server.start(exchange -> {
            if (seen.getAndIncrement() == 0) {
                exchange.rst(Http2Error.REFUSED_STREAM);
            } else {
                exchange.okResponse(exchange.streamId(), ANSWER);
            }
        });
        assertThat(call()).isEqualTo(ANSWER);
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void streamAboveGoAwayLastStreamIdIsRetriedOnANewConnection() {
        AtomicInteger seen = new AtomicInteger();
        server = RawHttp2Server.start(exchange -> {
            if (seen.getAndIncrement() == 0) {
                exchange.goAway(0, Http2Error.NO_ERROR, "draining");
            } else {
                exchange.okResponse(exchange.streamId(), ANSWER);
            }
        });
        assertThat(call()).isEqualTo(ANSWER);
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void aSecondRefusalFailsUnavailable() {
        server = RawHttp2Server.start(exchange -> exchange.rst(Http2Error.REFUSED_STREAM));
        assertThatThrownBy(this::call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(server.requests()).isEqualTo(2);
    }
}
