package dev.lbchannel.transport;

import dev.lbchannel.transport.TransportFixture.Call;
import dev.lbchannel.transport.TransportFixture.Connected;
import io.grpc.CallOptions;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's SETTINGS_MAX_CONCURRENT_STREAMS, from grpc-java's
 * {@code maxConcurrentCallsPerConnection}: streams past it wait in the client and start, in order,
 * as others end; none is refused.
 */
@Timeout(60)
class ConcurrencyLimitTests {

    private static final int LIMIT = 2;

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private ScheduledExecutorService scheduler;
    private Server server;
    private TransportFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxConcurrentCallsPerConnection(LIMIT)
                .addService(ServerInterceptors.intercept(new TestServiceImpl(scheduler), new OpenCalls()))
                .build().start();
        fixture = new TransportFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        scheduler.shutdownNow();
    }

    @Test
    void streamsPastTheServerLimitWaitAndAllComplete() throws Exception {
        Connected connected = fixture.connect(fixture.options().build(),
                new InetSocketAddress("127.0.0.1", server.getPort()), "localhost:" + server.getPort());
        // Each call answers after 50 ms, so without the limit all ten would be open at once.
        StreamingOutputCallRequest slow = StreamingOutputCallRequest.newBuilder()
                .addResponseParameters(ResponseParameters.newBuilder().setSize(10).setIntervalUs(50_000)).build();

        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(connected.start(TestServiceGrpc.getStreamingOutputCallMethod(), CallOptions.DEFAULT,
                    new Metadata(), 1, List.of(slow), true));
        }

        for (Call call : calls) {
            assertThat(call.listener().awaitClose().status().getCode()).isEqualTo(Status.Code.OK);
            assertThat(call.listener().messages).hasSize(1);
        }
        assertThat(maxOpen.get()).isEqualTo(LIMIT);
        assertThat(connected.transport().stats().streamsSucceeded()).isEqualTo(10);
    }

    /** Counts the calls the server has open, from their start until the server closes them. */
    private final class OpenCalls implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            return next.startCall(new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    open.decrementAndGet();
                    super.close(status, trailers);
                }
            }, headers);
        }
    }
}
