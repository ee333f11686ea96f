package dev.lbchannel.transport;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code passthrough} target's host name reaches the transport unresolved; its lookup, end to
 * end on a channel whose call executor is direct, runs on the channel's offload pool and never on
 * the event loop that connects.
 */
@Timeout(60)
class PassthroughLookupOffloadTests {

    private final TestBackend backend = TestBackend.plaintext();
    private final List<String> lookupThreads = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        OffloadAddressResolverGroup.lookupObserver = null;
        backend.close();
    }

    @Test
    void localhostIsLookedUpOnTheOffloadPoolWithADirectExecutor() throws Exception {
        OffloadAddressResolverGroup.lookupObserver = host -> {
            if (host.equals("localhost")) {
                lookupThreads.add(Thread.currentThread().getName());
            }
        };
        LbChannel channel = LbChannelBuilder.forTarget("passthrough:///localhost:" + backend.port())
                .usePlaintext()
                .directExecutor()
                .build();
        try {
            Empty reply = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .emptyCall(Empty.getDefaultInstance());
            assertThat(reply).isEqualTo(Empty.getDefaultInstance());
        } finally {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(lookupThreads).isNotEmpty()
                .allSatisfy(thread -> assertThat(thread).startsWith("lbchannel-offload-").doesNotContain("eventloop"));
    }
}
