package dev.lbchannel;

import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authority a {@code static:///} list's calls carry, as grpc-java's server hears it: the list's
 * first entry, however long the list (joined, a list of hundreds outgrows the server's 8 KiB
 * header limit and every call failed).
 */
@Timeout(60)
class StaticTargetAuthorityTests {

    private final TestBackend backend = TestBackend.plaintext();
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backend.close();
    }

    @Test
    void aLongListCarriesItsFirstEntryAsAuthority() {
        StringJoiner list = new StringJoiner(",", "static:///", "");
        list.add("127.0.0.1:" + backend.port());
        for (int i = 0; i < 700; i++) {
            // pick_first connects to the first entry; the others are never dialled.
            list.add("127.0.0." + (2 + i % 200) + ":" + (20_000 + i));
        }
        assertThat(list.length()).as("the joined list is longer than the server's header limit").isGreaterThan(8192);
        channel = LbChannelBuilder.forTarget(list.toString()).usePlaintext().build();

        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());

        assertThat(channel.authority()).isEqualTo("127.0.0.1:" + backend.port());
        assertThat(backend.lastAuthority()).isEqualTo("127.0.0.1:" + backend.port());
    }
}
