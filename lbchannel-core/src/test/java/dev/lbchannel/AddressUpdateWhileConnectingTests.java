package dev.lbchannel;

import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pick_first over real sockets when the resolver changes the address list while the channel is
 * still connecting: the channel moves to the new list at once, without TRANSIENT_FAILURE for
 * the address it gave up.
 */
@Timeout(60)
class AddressUpdateWhileConnectingTests {

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    @Test
    void channelMovesFromAnUnansweringAddressToTheNewOneWithoutTransientFailure() throws Exception {
        // Accepts TCP (the kernel does, from the backlog) but never speaks HTTP/2: a connection
        // to it stays CONNECTING until its 20 s connect timeout, far beyond this test's waits.
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(silent);
        TestBackend backend = TestBackend.plaintext();
        cleanup.add(backend);
        ManualResolverProvider resolver = new ManualResolverProvider("manual");
        resolver.update(silent.getLocalPort());
        LbChannel channel = LbChannelBuilder.forTarget("manual:///backends").resolverProvider(resolver)
                .usePlaintext().build();
        cleanup.add(0, () -> {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("channel terminated").isTrue();
        });

        channel.getState(true);
        Await.until("CONNECTING to the silent address", () -> channel.getState(false) == ConnectivityState.CONNECTING);
        resolver.update(backend.port());

        Await.until("READY on the backend", Duration.ofSeconds(15), () -> channel.getState(false) == ConnectivityState.READY);
        assertThat(TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());

        ChannelSnapshot snapshot = channel.snapshot();
        assertThat(entered(snapshot.trace())).containsExactly("Entering READY"); // leaving idle is traced apart
        assertThat(snapshot.subchannels()).singleElement().satisfies(subchannel -> {
            assertThat(entered(subchannel.trace())).containsExactly("Entering CONNECTING", "Entering READY");
            assertThat(subchannel.connections().attemptsFailed()).isZero();
        });
        assertThat(snapshot.connections().attemptsFailed()).isZero();
    }

    private static List<String> entered(List<TraceEvent> trace) {
        return trace.stream().map(TraceEvent::description).filter(d -> d.startsWith("Entering ")).toList();
    }
}
