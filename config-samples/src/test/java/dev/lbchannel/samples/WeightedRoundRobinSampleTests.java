package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.services.CallMetricRecorder;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.xds.orca.OrcaMetricReportingServerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code samples/weighted-round-robin.yml}: backends reporting utilizations 0.6, 0.3 and 0.2 at
 * equal qps through grpc-java's per-call ORCA support get calls 1 : 2 : 3 once their blackout
 * has passed.
 */
@Timeout(120)
class WeightedRoundRobinSampleTests {

    private static final double[] UTILIZATIONS = {0.6, 0.3, 0.2};

    private final List<TestBackend> backends = new ArrayList<>();
    private final List<AtomicInteger> received = new ArrayList<>();
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void callsFollowTheReportedLoad() {
        for (double utilization : UTILIZATIONS) {
            AtomicInteger count = new AtomicInteger();
            received.add(count);
            backends.add(TestBackend.start(false, builder -> builder
                    .intercept(new ReportLoad(utilization, count))
                    .intercept(OrcaMetricReportingServerInterceptor.getInstance())));   // outermost: runs first
        }
        String addresses = backends.stream().map(b -> "127.0.0.1:" + b.port()).collect(Collectors.joining(","));
        sample = Sample.start("weighted-round-robin", "search.addresses=" + addresses);
        LbChannel search = sample.channel("search");
        ChannelConditions.awaitReadySubchannels(search, 3);
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(search);

        // Reports come with calls; the weights count once the 2 s blackout is over.
        Await.until("every backend weighed", Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 30; i++) {
                stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            }
            return ChannelConditions.readySubchannels(search).stream()
                    .allMatch(s -> s.balancer().getOrDefault("weight", 0L) > 0);
        });
        received.forEach(c -> c.set(0));
        int total = 600;
        for (int i = 0; i < total; i++) {
            stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        }

        int[] got = received.stream().mapToInt(AtomicInteger::get).toArray();
        double[] shares = {1 / 6.0, 2 / 6.0, 3 / 6.0};
        for (int i = 0; i < 3; i++) {
            assertThat((double) got[i] / total).as("share of backend %d in %s", i, Arrays.toString(got))
                    .isCloseTo(shares[i], within(shares[i] * 0.1));
        }
        List<SubchannelSnapshot> ready = ChannelConditions.readySubchannels(search);
        assertThat(ready).extracting(s -> s.balancer().get("weight")).containsExactlyInAnyOrder(167L, 333L, 500L);
    }

    /** Counts each call and records its backend's load for the call's ORCA trailer. */
    private record ReportLoad(double utilization, AtomicInteger count) implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            count.incrementAndGet();
            CallMetricRecorder.getCurrent().recordCpuUtilizationMetric(utilization).recordQpsMetric(100);
            return next.startCall(call, headers);
        }
    }
}
