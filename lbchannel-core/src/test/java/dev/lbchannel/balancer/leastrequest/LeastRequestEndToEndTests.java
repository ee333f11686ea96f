package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.config.Json;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ClosedLoop;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.SlowBackends;
import io.grpc.ConnectivityState;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code least_request} against grpc-java backends on loopback: a backend that keeps its calls
 * open gets far fewer of them than its share, and channelz shows each backend's calls in flight.
 */
@Timeout(120)
class LeastRequestEndToEndTests {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String LEAST_REQUEST = "{\"loadBalancingConfig\": [{\"least_request\": {}}]}";

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private SlowBackends backends;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        if (backends != null) {
            backends.close();
        }
    }

    private void open(int size) {
        backends = new SlowBackends(size);
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .defaultServiceConfig(Json.parseObject(LEAST_REQUEST)).build();
        resolver.update(backends.ports());
        channel.getState(true);
        Await.until(size + " READY subchannels", BOUND, () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == size);
    }

    @Test
    void aBackendThatHoldsItsCallsLongGetsFarFewerOfThem() throws Exception {
        open(4);
        backends.delay(0, Duration.ofMillis(200));
        int total = 400;
        ClosedLoop.run(channel, 8, total);

        int slow = backends.received(0);
        String split = slow + "/" + backends.received(1) + "/" + backends.received(2) + "/" + backends.received(3);
        // round_robin would send it a quarter (100); two choices pass it over whenever the other
        // sample has fewer calls open, which a fast backend nearly always has
        assertThat(slow).as("calls to the slow backend of %d (split %s)", total, split).isLessThan(total / 8);
        for (int i = 1; i < 4; i++) {
            assertThat(backends.received(i)).as("backend %d (split %s)", i, split).isGreaterThan(2 * slow);
        }
        assertThat(slow + backends.received(1) + backends.received(2) + backends.received(3)).isEqualTo(total);
    }

    @Test
    void channelzShowsTheCallsInFlightPerBackend() {
        open(1);
        backends.hold(0);
        TestServiceGrpc.TestServiceStub stub = TestServiceGrpc.newStub(channel);
        AtomicInteger ended = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            stub.emptyCall(Empty.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(Empty value) {
                }

                @Override
                public void onError(Throwable t) {
                    ended.incrementAndGet();
                }

                @Override
                public void onCompleted() {
                    ended.incrementAndGet();
                }
            });
        }
        Await.until("3 calls in flight in channelz", BOUND, () -> outstanding() == 3);
        Await.until("the backend got them", BOUND, () -> backends.received(0) == 3);

        backends.release(0);
        Await.until("the calls ended", BOUND, () -> ended.get() == 3);
        Await.until("none in flight in channelz", BOUND, () -> outstanding() == 0);
    }

    private long outstanding() {
        SubchannelSnapshot subchannel = channel.snapshot().subchannels().get(0);
        return subchannel.balancer().getOrDefault("outstandingCalls", -1L);
    }
}
