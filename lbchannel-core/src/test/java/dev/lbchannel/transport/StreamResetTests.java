package dev.lbchannel.transport;

import dev.lbchannel.testing.ClientFrameTypes;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.TcpProxy;
import dev.lbchannel.transport.TransportFixture.Connected;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which streams the client resets, read from its own bytes through a {@link TcpProxy} tap: a
 * server's decoder drops a reset of a stream it has closed without telling anyone, so a needless
 * one would pass unseen at the server. (A call the server ends while the client's END_STREAM
 * still waits is reset: {@code OutboundFlowTests}.)
 */
@Timeout(60)
class StreamResetTests {

    private final TransportFixture fixture = new TransportFixture();
    private RawHttp2Server server;

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCallThatEndedBothWaysIsNotReset() throws Exception {
        server = RawHttp2Server.builder().answerAtEndOfRequest().start(e -> e.okResponse(e.streamId(), new byte[] {1}));
        ClientFrameTypes frames = new ClientFrameTypes();
        try (TcpProxy proxy = new TcpProxy(server.address(), frames)) {
            Connected connected = fixture.connect(fixture.options().build(),
                    new InetSocketAddress("127.0.0.1", proxy.port()), "localhost");
            TransportFixture.callOk(connected.transport(), 21);
        }

        // Trailers ending a stream whose END_STREAM went out close it both ways: a RST_STREAM
        // after them is a frame per call for the server to read and drop. Each call's reset, had
        // there been one, went out before the next call's HEADERS on the same connection, and so
        // through the relay before the server answered that call.
        List<Integer> streamIds = server.requestStreams();
        List<Integer> ended = streamIds.subList(0, streamIds.size() - 1);
        assertThat(ended).hasSize(20);
        assertThat(frames.resetStreams()).as("streams reset after both sides ended them").doesNotContainAnyElementsOf(ended);
    }
}
