package dev.lbchannel.transport;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.transport.RecordingStreamListener.Closed;
import dev.lbchannel.transport.TransportFixture.Connected;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keepalive (gRFC A8) against a raw HTTP/2 server that counts PINGs and, when told to, never
 * answers them. Keepalive times are milliseconds here, below the 10 s floor the options enforce.
 * These tests only wait for what must happen, with bounds; exact timing is
 * {@link KeepAliveSchedulingTests}', on a fake clock.
 */
@Timeout(60)
class KeepAliveTests {

    private static final long TIME_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** For the unanswered ping: short, so that the test ends soon. */
    private static final long SHORT_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** For answered pings: far longer than any ACK takes on a loaded machine. */
    private static final long LONG_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private TransportFixture fixture;
    private final List<RawHttp2Server> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fixture = new TransportFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        servers.forEach(RawHttp2Server::close);
    }

    /** A server that answers each request with response headers and then keeps the stream open. */
    private RawHttp2Server server(boolean ackPings) {
        RawHttp2Server server = RawHttp2Server.builder().autoAckPings(ackPings)
                .start(e -> e.headers(RawHttp2Server.grpcHeaders(), false));
        servers.add(server);
        return server;
    }

    private Connected connect(RawHttp2Server server, boolean withoutCalls, long timeoutNanos) throws Exception {
        TransportOptions options = fixture.options()
                .keepAlive(TransportOptions.MIN_KEEPALIVE_TIME_NANOS, timeoutNanos, withoutCalls).build();
        return fixture.connectWithKeepAliveTime(options, server.address(), "localhost", TIME_NANOS);
    }

    private static RecordingStreamListener openStream(Connected connected) {
        RecordingStreamListener listener = new RecordingStreamListener();
        ClientStream stream = TransportFixture.open(connected.transport(), OutboundFlowTests.BIDI, new Metadata(),
                CallOptions.DEFAULT, -1, listener);
        stream.request(1);
        stream.flush();
        return listener;
    }

    private static long pingsSent(Connected connected) {
        return connected.transport().stats().keepAlivesSent();
    }

    @Test
    void unansweredPingShutsTheTransportDownUnavailableAfterTheTimeout() throws Exception {
        RawHttp2Server server = server(false);
        Connected connected = connect(server, false, SHORT_TIMEOUT_NANOS);
        RecordingStreamListener call = openStream(connected);
        call.headers.get(10, TimeUnit.SECONDS);
        Await.until("a keepalive ping at the server", () -> server.pings() > 0);

        Status shutdown = connected.listener().awaitShutdown();

        assertThat(shutdown.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(shutdown.getDescription()).contains("Keepalive failed");
        Closed closed = call.awaitClose();
        assertThat(closed.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(closed.status().getDescription()).contains("Keepalive failed");
        connected.listener().awaitTerminated();
        assertThat(pingsSent(connected)).isEqualTo(1);
        assertThat(server.pings()).isEqualTo(1);
    }

    @Test
    void answeredPingsKeepTheConnectionAndAreCountedInStats() throws Exception {
        RawHttp2Server server = server(true);
        Connected connected = connect(server, false, LONG_TIMEOUT_NANOS);
        RecordingStreamListener call = openStream(connected);

        Await.until("three keepalive pings", () -> pingsSent(connected) >= 3);

        Await.until("the server to see them", () -> server.pings() >= 3);
        assertThat(connected.listener().shutdown).isNotDone();
        assertThat(call.closed).isNotDone();
        assertThat(pingsSent(connected)).isGreaterThanOrEqualTo(server.pings());
    }

    @Test
    void noPingWhileIdleUnlessKeepAliveWithoutCalls() throws Exception {
        RawHttp2Server idleServer = server(true);
        RawHttp2Server clockServer = server(true);
        Connected idle = connect(idleServer, false, LONG_TIMEOUT_NANOS);
        // Pings whether idle or not; started later, so when it has pinged twice the idle
        // transport has been up for at least two keepalive times too.
        Connected clock = connect(clockServer, true, LONG_TIMEOUT_NANOS);

        Await.until("two pings without calls", Duration.ofSeconds(10), () -> clockServer.pings() >= 2);

        assertThat(pingsSent(idle)).isZero();
        assertThat(idleServer.pings()).isZero();
        openStream(idle);
        Await.until("a ping once a call is open", () -> idleServer.pings() > 0);
        assertThat(pingsSent(idle)).isPositive();
        assertThat(pingsSent(clock)).isGreaterThanOrEqualTo(2);
    }
}
