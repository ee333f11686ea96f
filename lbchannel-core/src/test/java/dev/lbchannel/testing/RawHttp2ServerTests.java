package dev.lbchannel.testing;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class RawHttp2ServerTests {

    /**
     * A connection the client left open, with half a preface in the server's decoder, is closed
     * by {@link RawHttp2Server#close()}. Before it closed them itself, the loop's shutdown left
     * about one in seven such connections open, and their partial frame leaked; repeated so that
     * the old race would show.
     */
    @RepeatedTest(50)
    void closeEndsTheConnectionsTheClientLeftOpen() throws Exception {
        RawHttp2Server server = RawHttp2Server.start(exchange -> { });
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Await.until("the server accepted the connection", () -> server.connections() == 1);

            server.close();

            InputStream in = socket.getInputStream();
            // The server's SETTINGS, if it wrote them; then the end of the stream, not a read timeout.
            assertThat(in.readAllBytes()).hasSizeLessThan(1024);
        }
    }
}
