package dev.lbchannel.transport;

import dev.lbchannel.testing.RefusedPort;
import dev.lbchannel.testing.TestBackend;
import dev.lbchannel.transport.RecordingStreamListener.Closed;
import dev.lbchannel.transport.TransportFixture.Call;
import dev.lbchannel.transport.TransportFixture.Connected;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Connect failure, graceful server shutdown, client shutdown and connection loss. */
@Timeout(60)
class TransportLifecycleTests {

    private TransportFixture fixture;
    private TestBackend backend;

    @BeforeEach
    void setUp() {
        fixture = new TransportFixture();
        backend = TestBackend.plaintext();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        backend.close();
    }

    private static StreamingOutputCallRequest echo(int size) {
        return StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(size)).build();
    }

    @Test
    void connectFailureShutsDownUnavailableNamingTheAddressThenTerminates() throws Exception {
        try (RefusedPort refused = new RefusedPort()) {
            InetSocketAddress address = refused.address();
            Connected connected = fixture.start(fixture.options().build(), address, "localhost");

            Status status = connected.listener().awaitShutdown();
            connected.listener().awaitTerminated();

            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).startsWith("Failed to connect to 127.0.0.1:" + refused.port());
            assertThat(connected.listener().ready).isNotDone();
        }
    }

    @Test
    void gracefulServerShutdownLetsAcceptedStreamsFinishAndRefusesNewOnes() throws Exception {
        Connected connected = fixture.connect(fixture.options().build(), backend.address(), backend.authority());
        Call inFlight = connected.start(TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 10, List.of(echo(5)), false);
        inFlight.listener().awaitMessage();

        backend.shutdown();
        assertThat(connected.listener().awaitShutdown().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

        Call refused = connected.unary(TestServiceGrpc.getUnaryCallMethod(), SimpleRequest.getDefaultInstance());
        assertThat(refused.listener().awaitClose().progress()).isEqualTo(RpcProgress.MISCARRIED); // never left the client
        inFlight.stream().writeMessage(TransportFixture.frame(echo(7)));
        inFlight.stream().halfClose();
        assertThat(inFlight.listener().awaitMessage()).hasSizeGreaterThan(7);
        assertThat(inFlight.listener().awaitClose().status().isOk()).isTrue();
        connected.listener().awaitTerminated();
        assertThat(connected.listener().shutdownCount.get()).isEqualTo(1);
    }

    @Test
    void clientShutdownDrainsThenTerminates() throws Exception {
        Connected connected = fixture.connect(fixture.options().build(), backend.address(), backend.authority());
        Call inFlight = connected.start(TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 10, List.of(echo(5)), false);
        inFlight.listener().awaitMessage();

        connected.transport().shutdown(Status.UNAVAILABLE.withDescription("bye"));
        assertThat(connected.listener().awaitShutdown().getDescription()).isEqualTo("bye");
        assertThat(connected.listener().terminated).isNotDone();
        inFlight.stream().halfClose();

        assertThat(inFlight.listener().awaitClose().status().isOk()).isTrue();
        connected.listener().awaitTerminated();
    }

    @Test
    void shutdownNowFailsOpenStreamsWithTheReason() throws Exception {
        Connected connected = fixture.connect(fixture.options().build(), backend.address(), backend.authority());
        Call inFlight = connected.start(TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 10, List.of(echo(5)), false);
        inFlight.listener().awaitMessage();

        connected.transport().shutdownNow(Status.UNAVAILABLE.withDescription("now"));

        Closed closed = inFlight.listener().awaitClose();
        assertThat(closed.status().getDescription()).isEqualTo("now");
        assertThat(closed.progress()).isIn(RpcProgress.PROCESSED, RpcProgress.COMPLETED);
        connected.listener().awaitTerminated();
    }

    @Test
    void killedServerFailsOpenStreamsAndARestartedOneServesAgain() throws Exception {
        Connected connected = fixture.connect(fixture.options().build(), backend.address(), backend.authority());
        Call inFlight = connected.start(TestServiceGrpc.getFullDuplexCallMethod(), CallOptions.DEFAULT,
                new Metadata(), 10, List.of(echo(5)), false);
        inFlight.listener().awaitMessage();

        backend.kill();

        Closed closed = inFlight.listener().awaitClose();
        // grpc-java resets its streams (CANCEL) before it closes the connection.
        assertThat(closed.status().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
        connected.listener().awaitTerminated();
        backend.restart();
        Connected again = fixture.connect(fixture.options().build(), backend.address(), backend.authority());
        Call call = again.unary(TestServiceGrpc.getUnaryCallMethod(), SimpleRequest.getDefaultInstance());
        assertThat(call.listener().awaitClose().status().isOk()).isTrue();
    }
}
