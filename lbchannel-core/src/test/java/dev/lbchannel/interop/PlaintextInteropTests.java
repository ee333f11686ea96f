package dev.lbchannel.interop;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The interop cases over plaintext HTTP/2 (h2c with prior knowledge). */
@Timeout(60)
class PlaintextInteropTests extends InteropTestCases {

    private static TestBackend backend;
    private static LbChannel channel;

    @BeforeAll
    static void start() {
        backend = TestBackend.plaintext();
        channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port())
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdown();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        backend.close();
    }

    @Override
    LbChannel channel() {
        return channel;
    }

    @Override
    TestBackend backend() {
        return backend;
    }
}
