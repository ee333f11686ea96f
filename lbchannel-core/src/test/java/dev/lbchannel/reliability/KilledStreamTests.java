package dev.lbchannel.reliability;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RecordingListener;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server streams cut by a SIGKILL of their backend (a JVM of its own) never end OK: a stream whose
 * server died mid-way must not look complete to the application. Each stream asks for 200
 * responses 50 ms apart (10 s), has received some when the backend is killed, and must then end
 * UNAVAILABLE, on lbchannel and on grpc-java's client.
 */
@Timeout(120)
class KilledStreamTests {

    private static final int STREAMS = 8;
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(10);
    private final List<ManagedChannel> channels = new ArrayList<>();
    private BackendProcess backend;

    @AfterEach
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("channel terminated").isTrue();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ClientUnderTest.class)
    void streamsCutByAKillEndUnavailableNeverOk(ClientUnderTest client) {
        backend = BackendProcess.start();
        ManagedChannel channel = client.open(List.of(backend), TestServiceConfig.roundRobin().json());
        channels.add(channel);
        StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
        for (int i = 0; i < 200; i++) {
            request.addResponseParameters(ResponseParameters.newBuilder().setSize(16).setIntervalUs(50_000));
        }
        List<RecordingListener<StreamingOutputCallResponse>> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            RecordingListener<StreamingOutputCallResponse> listener = new RecordingListener<>();
            ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = channel.newCall(
                    TestServiceGrpc.getStreamingOutputCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(60,
                            TimeUnit.SECONDS));
            call.start(listener, new Metadata());
            call.request(Integer.MAX_VALUE);
            call.sendMessage(request.build());
            call.halfClose();
            streams.add(listener);
        }
        Await.until("every stream has received a response", Duration.ofSeconds(30),
                () -> streams.stream().allMatch(s -> !s.messages().isEmpty()));

        backend.kill();

        List<Status> closes = new ArrayList<>();
        for (RecordingListener<StreamingOutputCallResponse> stream : streams) {
            closes.add(stream.awaitClose(CLOSE_BOUND));
        }
        assertThat(closes).as("%s: how the cut streams ended", client)
                .allSatisfy(status -> assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(streams).allSatisfy(s -> assertThat(s.messages()).hasSizeLessThan(200));
    }
}
