package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code samples/least-request.yml}: a backend whose calls take long gets far fewer of them. */
@Timeout(120)
class LeastRequestSampleTests {

    private final List<TestBackend> backends = new ArrayList<>();
    private final AtomicInteger slowCalls = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backends.forEach(TestBackend::close);
        timer.shutdownNow();
    }

    @Test
    void aSlowBackendGetsFarFewerThanItsShare() throws Exception {
        backends.add(TestBackend.start(false, builder -> builder.intercept(new EndLate())));
        backends.add(TestBackend.plaintext());
        backends.add(TestBackend.plaintext());
        String addresses = backends.stream().map(b -> "127.0.0.1:" + b.port()).collect(Collectors.joining(","));
        sample = Sample.start("least-request", "search.addresses=" + addresses);
        LbChannel search = sample.channel("search");
        ChannelConditions.awaitReadySubchannels(search, 3);

        int total = 300;
        AtomicInteger left = new AtomicInteger(total);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                done.add(callers.submit(() -> {
                    TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(search);
                    while (left.getAndDecrement() > 0) {
                        stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        // round_robin would send it a third (100); two choices pick it about when both samples are
        // it (1 in 9), plus ties on a loaded machine
        assertThat(slowCalls.get()).as("calls to the slow backend of %d", total).isLessThan(total / 5);
    }

    /** Answers at once but ends each call (sends its trailers) 500 ms later, as a busy backend would. */
    private final class EndLate implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            slowCalls.incrementAndGet();
            return next.startCall(new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    timer.schedule(() -> delegate().close(status, trailers), 500, TimeUnit.MILLISECONDS);
                }
            }, headers);
        }
    }
}
