package dev.lbchannel.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Choosing Netty's I/O transport: the names configuration takes, and what each kind stands for here. */
class TransportKindTests {

    @ParameterizedTest
    @CsvSource({"auto, AUTO", "NIO, NIO", " epoll , EPOLL", "io_uring, IO_URING", "io-uring, IO_URING",
            "IO_URING, IO_URING"})
    void parsesTheNamesConfigurationWrites(String text, TransportKind kind) {
        assertThat(TransportKind.parse(text)).isEqualTo(kind);
    }

    @Test
    void anUnknownNameListsTheAcceptedOnes() {
        assertThatThrownBy(() -> TransportKind.parse("kqueue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kqueue'").hasMessageContaining("auto, nio, epoll or io_uring");
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"EPOLL", "IO_URING"})
    void aNativeKindRunsOrSaysWhyNotAndWhatToDo(TransportKind kind) {
        IoTransport io;
        try {
            io = kind.io();
        } catch (IllegalStateException e) {
            assertThat(e).hasMessageContaining("cannot").hasMessageContaining("use transport AUTO")
                    .hasMessageContaining("io.netty:netty-transport-native-");
            System.err.println("Skipping " + kind + ": " + e.getMessage());
            return;
        }
        assertThat(io.name()).isEqualTo(kind.configName());
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, io.newHandlerFactory());
        try {
            assertThat(IoTransport.forLoops(loops)).as("loops of this transport are recognised").isSameAs(io);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void autoNeverPicksIoUring() {
        assumeTrue(canRun(TransportKind.IO_URING), "io_uring cannot run here");
        assertThat(TransportKind.AUTO.io().name()).isIn("epoll", "nio");
    }

    private static boolean canRun(TransportKind kind) {
        try {
            kind.io();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
