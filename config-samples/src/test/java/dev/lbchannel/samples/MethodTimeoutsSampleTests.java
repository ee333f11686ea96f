package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import com.google.common.util.concurrent.ListenableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code samples/method-timeouts.yml}: per-method timeouts and wait-for-ready from methodConfig. */
@Timeout(60)
class MethodTimeoutsSampleTests {

    /** A stream whose one message comes after 3 s, well past the sample's 1 s for the method. */
    private static final StreamingOutputCallRequest SLOW_STREAM = StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(ResponseParameters.newBuilder().setSize(16).setIntervalUs(3_000_000)).build();

    private TestBackend backend;
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aSlowStreamEndsWithDeadlineExceededAfterTheMethodsTimeout() {
        backend = TestBackend.plaintext();
        LbChannel search = start(backend.port());
        Iterator<StreamingOutputCallResponse> stream = TestServiceGrpc.newBlockingStub(search).streamingOutputCall(SLOW_STREAM);

        assertThatThrownBy(stream::next).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        // The server got the method's 1 s as grpc-timeout, not the channel's 10 s default.
        assertThat(remainingMillis(backend.lastDeadline())).isLessThanOrEqualTo(1_000L);
    }

    @Test
    void pointReadsCarryTheirOwnTimeout() {
        backend = TestBackend.plaintext();
        LbChannel search = start(backend.port());

        TestServiceGrpc.newBlockingStub(search).unaryCall(SimpleRequest.getDefaultInstance());

        assertThat(remainingMillis(backend.lastDeadline())).isBetween(1L, 5_000L); // not the 10 s default
    }

    @Test
    void pointReadsWaitForALateBackendWhileStreamsFailFast() throws Exception {
        int port = freePort();
        LbChannel search = start(port);
        search.getState(true);
        ChannelConditions.awaitState(search, ConnectivityState.TRANSIENT_FAILURE);

        // Without waitForReady, a call fails at once while no backend is reachable ...
        assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(search).streamingOutputCall(SLOW_STREAM).next())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        // ... with it (EmptyCall), the call waits, and is served once the backend comes up.
        ListenableFuture<Empty> waiting = TestServiceGrpc.newFutureStub(search).emptyCall(Empty.getDefaultInstance());
        assertThat(waiting).isNotDone();
        backend = TestBackend.plaintextOn("127.0.0.1", port);

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(Empty.getDefaultInstance());
        assertThat(backend.callsStarted()).isEqualTo(1);
    }

    private LbChannel start(int port) {
        sample = Sample.start("method-timeouts", "search.address=127.0.0.1:" + port);
        return sample.channel("search");
    }

    private static long remainingMillis(Deadline deadline) {
        assertThat(deadline).as("the server saw a deadline").isNotNull();
        return deadline.timeRemaining(TimeUnit.MILLISECONDS);
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
