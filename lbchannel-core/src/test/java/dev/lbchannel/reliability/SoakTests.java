package dev.lbchannel.reliability;

import com.google.protobuf.ByteString;
import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * gRPC's interop soak cases against grpc-java's server: {@code rpc_soak} (1,000 calls of 271,828
 * request and 314,159 response bytes on one channel, each under a second) and
 * {@code channel_soak} (200 fresh channels, one such call each). Afterwards the process's file
 * descriptors are back to where they were and, when no other test's channel shares them, no
 * lbchannel thread is left. Netty's paranoid leak detection watches every buffer meanwhile.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SoakTests {

    private static final int REQUEST_BYTES = 271_828;
    private static final int RESPONSE_BYTES = 314_159;
    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(RESPONSE_BYTES)
            .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[REQUEST_BYTES]))).build();
    private static final Duration PER_CALL = Duration.ofSeconds(1);

    private static TestBackend backend;

    @BeforeAll
    static void startBackend() {
        backend = TestBackend.plaintext();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @Test
    void rpcSoakAndChannelSoakEndWithNothingLeftBehind() throws Exception {
        Set<String> threadsBefore = lbchannelThreads();
        long fdsBefore = openFileDescriptors();

        LbChannel channel = channel();
        try {
            for (int i = 0; i < 1000; i++) {
                assertCallWithinASecond(channel, "rpc_soak call " + i);
            }
        } finally {
            shutDown(channel);
        }
        for (int i = 0; i < 200; i++) {
            LbChannel fresh = channel();
            try {
                assertCallWithinASecond(fresh, "channel_soak channel " + i);
            } finally {
                shutDown(fresh);
            }
        }

        Await.until("file descriptors back to " + fdsBefore, Duration.ofSeconds(20),
                () -> openFileDescriptors() <= fdsBefore);
        assumeTrue(threadsBefore.isEmpty(), () -> "other tests' channels share lbchannel's threads: " + threadsBefore);
        Await.until("no lbchannel thread left", Duration.ofSeconds(20), () -> lbchannelThreads().isEmpty());
    }

    private static LbChannel channel() {
        return LbChannelBuilder.forTarget("static:///127.0.0.1:" + backend.port()).usePlaintext().build();
    }

    private static void assertCallWithinASecond(LbChannel channel, String what) {
        long started = System.nanoTime();
        SimpleResponse response = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .unaryCall(REQUEST);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.getPayload().getBody().size()).as(what).isEqualTo(RESPONSE_BYTES);
        assertThat(took).as(what + ": time").isLessThan(PER_CALL);
    }

    private static void shutDown(LbChannel channel) throws InterruptedException {
        channel.shutdown();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).as("terminated").isTrue();
    }

    private static long openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static Set<String> lbchannelThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("lbchannel-")).collect(Collectors.toSet());
    }
}
