package dev.lbchannel.demo.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A backend stops for real (its port refuses connections) and starts again on the same port; a
 * port that cannot work is refused naming its {@code demo.backends.ports} entry.
 */
@Timeout(30)
class GreeterBackendTests {

    private final Backends backends = Backends.start(List.of(0, 0));

    @AfterEach
    void close() {
        backends.close();
    }

    @Test
    void stoppedBackendRefusesConnectionsAndRestartsOnItsPort() throws IOException {
        GreeterBackend backend = backends.find(1).orElseThrow();
        int port = backend.port();
        assertThat(port).isPositive();

        backend.stop();
        assertThat(backend.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

        backend.start();
        assertThat(backend.isRunning()).isTrue();
        assertThat(backend.port()).isEqualTo(port);
        new Socket("127.0.0.1", port).close();
    }

    @Test
    void idsCountFromOneAndUnknownIdsAreEmpty() {
        assertThat(backends.all()).extracting(GreeterBackend::id).containsExactly(1, 2);
        assertThat(backends.find(0)).isEmpty();
        assertThat(backends.find(3)).isEmpty();
    }

    @Test
    void takenPortFailsStartNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> Backends.start(List.of(taken.getLocalPort())))
                    .isInstanceOf(BackendStartException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void outOfRangePortIsAnInvalidPropertyNamingItsEntry() {
        assertThatThrownBy(() -> Backends.start(List.of(0, 65536)))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("demo.backends.ports[1]");
                    assertThat(e.getValue()).isEqualTo(65536);
                });
    }

    @Test
    void noPortIsAnInvalidProperty() {
        assertThatThrownBy(() -> Backends.start(List.of()))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                        e -> assertThat(e.getName()).isEqualTo("demo.backends.ports"));
    }
}
