package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code samples/outlier-detection.yml}: a backend failing every call is ejected, and retries hide it. */
@Timeout(120)
class OutlierDetectionSampleTests {

    private final List<TestBackend> backends = new ArrayList<>();
    private final AtomicInteger badCalls = new AtomicInteger();
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void aFailingBackendIsEjectedAndNoCallFails() {
        for (int i = 0; i < 4; i++) {
            backends.add(TestBackend.plaintext());
        }
        backends.add(TestBackend.start(false, builder -> builder.intercept(new FailEveryCall())));
        String addresses = backends.stream().map(b -> "127.0.0.1:" + b.port()).collect(Collectors.joining(","));
        sample = Sample.start("outlier-detection", "inventory.addresses=" + addresses, "outlier.interval=2s");
        LbChannel inventory = sample.channel("inventory");
        inventory.getState(true);
        ChannelConditions.awaitReadySubchannels(inventory, 5);
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(inventory);

        // Every call succeeds, the ones the bad backend failed on a retry elsewhere ...
        Await.until("the failing backend ejected", Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 25; i++) {
                stub.withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            }
            return inventory.snapshot().ejections().ejectedSubchannels().size() == 1;
        });
        assertThat(badCalls.get()).as("calls the failing backend got before its ejection").isPositive();

        // ... and once it is out, it gets none; its connection stays up for when it is let back in.
        int before = badCalls.get();
        for (int i = 0; i < 100; i++) {
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        }
        assertThat(badCalls.get()).isEqualTo(before);
        long ejected = inventory.snapshot().ejections().ejectedSubchannels().iterator().next();
        assertThat(inventory.snapshot().subchannels()).filteredOn(s -> s.id() == ejected)
                .singleElement().satisfies(s -> assertThat(s.addresses())
                        .containsExactly("127.0.0.1:" + backends.get(4).port()));
    }

    /** Answers every call UNAVAILABLE, as a backend whose own dependency is down. */
    private final class FailEveryCall implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            badCalls.incrementAndGet();
            call.close(Status.UNAVAILABLE.withDescription("dependency down"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
    }
}
