package dev.lbchannel.interop;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.TestBackend;
import dev.lbchannel.transport.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The interop cases over TLS with ALPN h2 and hostname verification (the certificate names 127.0.0.1). */
@Timeout(60)
class TlsInteropTests extends InteropTestCases {

    private static TestBackend backend;
    private static LbChannel channel;

    @BeforeAll
    static void start() {
        backend = TestBackend.tls();
        channel = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port())
                .sslContext(TlsContexts.forClient(backend.trustManagerFactory()))
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
