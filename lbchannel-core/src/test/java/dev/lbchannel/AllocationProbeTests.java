package dev.lbchannel;

import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class AllocationProbeTests {

    static long clientAllocated() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("lbchannel") || t == Thread.currentThread()) {
                total += mx.getThreadAllocatedBytes(t.getId());
            }
        }
        return total;
    }

    void run(LbChannel channel, String label) throws Exception {
        for (int round = 0; round < 3; round++) {
            int n = 50_000;
            long before = clientAllocated();
            long cpu = System.nanoTime();
            CountDownLatch done = new CountDownLatch(n);
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(32);
            for (int i = 0; i < n; i++) {
                slots.acquire();
                ClientCall<Empty, Empty> call = channel.newCall(TestServiceGrpc.getEmptyCallMethod(), CallOptions.DEFAULT);
                call.start(new ClientCall.Listener<>() {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        slots.release();
                        done.countDown();
                    }
                }, new Metadata());
                call.request(1);
                call.sendMessage(Empty.getDefaultInstance());
                call.halfClose();
            }
            done.await(60, TimeUnit.SECONDS);
            long after = clientAllocated();
            System.out.println("PROBE " + label + " round " + round + ": " + (after - before) / n + " B/call, "
                    + (System.nanoTime() - cpu) / n + " ns/call");
        }
    }

    @Test
    void probe() throws Exception {
        try (TestBackend backend = TestBackend.plaintext()) {
            LbChannel plain = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port()).usePlaintext()
                    .directExecutor().build();
            run(plain, "plain");
            plain.shutdownNow();
            LbChannel retry = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port()).usePlaintext()
                    .directExecutor().defaultServiceConfig(Map.of("methodConfig", List.of(Map.of(
                            "name", List.of(Map.of("service", "grpc.testing.TestService")),
                            "retryPolicy", Map.of("maxAttempts", 3.0, "initialBackoff", "0.1s", "maxBackoff", "1s",
                                    "backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE"))))))
                    .build();
            run(retry, "retry");
            retry.shutdownNow();
        }
    }
}
