package dev.lbchannel;

import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.CallTally;
import dev.lbchannel.testing.MutualTlsBackend;
import dev.lbchannel.transport.TlsContexts;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LbChannel#updateSslContext} under steady load against a grpc-java server that requires
 * client certificates and records which one each connection presented: new connections present
 * the new certificate, the old connection drains (its in-flight calls finish) once the
 * replacement is READY, no call fails, and the subchannel never leaves READY.
 */
@Timeout(120)
class SslContextRotationTests {

    private static final int CALLS_PER_SECOND = 100;
    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(32).build();

    private final MutualTlsBackend backend = MutualTlsBackend.start();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "rotation-load-pacer");
        thread.setDaemon(true);
        return thread;
    });
    private final CallTally calls = new CallTally();
    private LbChannel channel;

    @AfterEach
    void stop() throws Exception {
        pacer.shutdownNow();
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backend.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pick_first", "round_robin"})
    void aRotatedClientCertificateIsUsedByNewConnectionsAndNoCallFails(String policy) throws Exception {
        channel = channel(policy, clientContext(backend.clientCertificate("client-a")));
        ScheduledFuture<?> load = startLoad();
        Await.until("calls with the first certificate", () -> backend.calls("client-a") >= 20);
        LongCall inFlight = LongCall.start(channel);
        Await.until("the long call's first response", () -> inFlight.responses() >= 1);

        channel.updateSslContext(clientContext(backend.clientCertificate("client-b")));

        Await.until("calls with the rotated certificate", () -> backend.calls("client-b") >= 20);
        Await.until("the old connection drained and closed", () -> backend.connections().get(0).isClosed());
        load.cancel(false);
        awaitEveryCallEnded();

        assertThat(calls.failures()).as("calls failed during the rotation").isEmpty();
        assertThat(inFlight.awaitStatus()).as("a call in flight on the old connection finishes on it")
                .matches(Status::isOk);
        assertThat(inFlight.responses()).isEqualTo(LongCall.RESPONSES);
        assertThat(backend.connections()).extracting(MutualTlsBackend.Connection::clientSubject)
                .as("the certificate each connection the server saw presented")
                .containsExactly("CN=client-a", "CN=client-b");
        SubchannelSnapshot subchannel = channel.snapshot().subchannels().get(0);
        assertThat(stateChanges(subchannel)).as("the subchannel's states: READY throughout the rotation")
                .containsExactly("Entering CONNECTING", "Entering READY");
        assertThat(subchannel.connections().attemptsSucceeded()).isEqualTo(2);
        Await.until("the client closed the old socket", () -> channel.snapshot().subchannels().get(0).sockets().size() == 1);
        assertThat(descriptions(channel.snapshot().trace())).anyMatch(d -> d.startsWith("TLS context updated"));
        assertThat(descriptions(subchannel.trace()))
                .anyMatch(d -> d.startsWith("Replacing the connection to 127.0.0.1:" + backend.port()))
                .anyMatch(d -> d.contains("is READY; the old one drains"));
    }

    @Test
    void aHealthCheckMovesToTheReplacementSoTheOldConnectionDrainsAndTheVerdictStands() throws Exception {
        String service = TestServiceGrpc.SERVICE_NAME;
        backend.serving(service);
        channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + backend.port())
                .sslContext(clientContext(backend.clientCertificate("client-a")))
                .defaultServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                        "healthCheckConfig", Map.of("serviceName", service)))
                .build();
        ScheduledFuture<?> load = startLoad();
        Await.until("the backend healthy", () -> channel.snapshot().subchannels().stream()
                .anyMatch(s -> s.health().state() == SubchannelHealth.State.SERVING));
        Await.until("calls with the first certificate", () -> backend.calls("client-a") >= 20);

        channel.updateSslContext(clientContext(backend.clientCertificate("client-b")));

        Await.until("calls with the rotated certificate", () -> backend.calls("client-b") >= 20);
        Await.until("the old connection, its Watch moved away, drained and closed",
                () -> backend.connections().get(0).isClosed());
        load.cancel(false);
        awaitEveryCallEnded();

        assertThat(calls.failures()).as("calls failed during the rotation").isEmpty();
        SubchannelSnapshot subchannel = channel.snapshot().subchannels().get(0);
        assertThat(subchannel.health().state()).isEqualTo(SubchannelHealth.State.SERVING);
        assertThat(stateChanges(subchannel)).containsExactly("Entering CONNECTING", "Entering READY");
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void aContextTheServerRefusesKeepsTheCurrentConnectionAndALaterGoodOneTakesOver() throws Exception {
        channel = channel("pick_first", clientContext(backend.clientCertificate("client-a")));
        ScheduledFuture<?> load = startLoad();
        Await.until("calls with the first certificate", () -> backend.calls("client-a") >= 20);

        channel.updateSslContext(untrustingContext());
        Await.until("the failed replacement traced", () -> descriptions(channel.snapshot().subchannels().get(0).trace())
                .stream().anyMatch(d -> d.startsWith("Replacement connection to") && d.contains("failed")));
        int before = backend.calls("client-a");
        Await.until("calls go on over the old connection", () -> backend.calls("client-a") >= before + 20);

        channel.updateSslContext(clientContext(backend.clientCertificate("client-b")));
        Await.until("calls with the good context", () -> backend.calls("client-b") >= 20);
        load.cancel(false);
        awaitEveryCallEnded();

        assertThat(calls.failures()).as("calls failed").isEmpty();
        assertThat(backend.connections().get(0).clientSubject()).isEqualTo("CN=client-a");
        assertThat(stateChanges(channel.snapshot().subchannels().get(0)))
                .containsExactly("Entering CONNECTING", "Entering READY");
        assertThat(channel.snapshot().subchannels().get(0).trace()).filteredOn(e -> e.severity() == TraceEvent.Severity.WARNING)
                .hasSize(1);
    }

    @Test
    void anIdleChannelConnectsWithTheNewContext() throws Exception {
        channel = channel("pick_first", clientContext(backend.clientCertificate("client-a")));
        channel.updateSslContext(clientContext(backend.clientCertificate("client-b")));

        ClientCalls.blockingUnaryCall(channel, TestServiceGrpc.getUnaryCallMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), REQUEST);

        assertThat(backend.connections()).extracting(MutualTlsBackend.Connection::clientSubject)
                .containsExactly("CN=client-b");
    }

    @Test
    void aPlaintextChannelRefusesATlsContext() throws Exception {
        channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + backend.port()).usePlaintext().build();
        SslContext context = clientContext(backend.clientCertificate("client-a"));

        assertThatThrownBy(() -> channel.updateSslContext(context)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plaintext");
    }

    @Test
    void aServerContextIsRefused() throws Exception {
        channel = channel("pick_first", clientContext(backend.clientCertificate("client-a")));
        X509Bundle server = backend.clientCertificate("not-a-client");
        SslContext serverContext = SslContextBuilder.forServer(server.toKeyManagerFactory()).build();

        assertThatThrownBy(() -> channel.updateSslContext(serverContext)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client context");
    }

    private LbChannel channel(String policy, SslContext context) {
        return LbChannelBuilder.forTarget("static:///127.0.0.1:" + backend.port())
                .sslContext(context)
                .defaultLoadBalancingPolicy(policy)
                .build();
    }

    private SslContext clientContext(X509Bundle clientCertificate) throws Exception {
        return TlsContexts.configure(SslContextBuilder.forClient().trustManager(backend.ca().toTrustManagerFactory())
                .keyManager(clientCertificate.toKeyManagerFactory()), TlsContexts.defaultProvider()).build();
    }

    /** Trusts another CA only, so its connections fail the handshake with this backend. */
    private static SslContext untrustingContext() throws Exception {
        X509Bundle otherCa = new CertificateBuilder().subject("CN=another CA").setIsCertificateAuthority(true)
                .ecp256().buildSelfSigned();
        return TlsContexts.configure(SslContextBuilder.forClient().trustManager(otherCa.toTrustManagerFactory()),
                TlsContexts.defaultProvider()).build();
    }

    /** {@value #CALLS_PER_SECOND} unary calls a second, evenly spaced, each with a 20 s deadline. */
    private ScheduledFuture<?> startLoad() {
        return pacer.scheduleAtFixedRate(() -> ClientCalls.asyncUnaryCall(channel.newCall(
                        TestServiceGrpc.getUnaryCallMethod(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                REQUEST, calls.start()), 0, 1_000_000 / CALLS_PER_SECOND, TimeUnit.MICROSECONDS);
    }

    private void awaitEveryCallEnded() {
        calls.awaitAllEnded(Duration.ofSeconds(30));
    }

    private static List<String> stateChanges(SubchannelSnapshot subchannel) {
        return descriptions(subchannel.trace()).stream().filter(d -> d.startsWith("Entering")).toList();
    }

    private static List<String> descriptions(List<TraceEvent> trace) {
        return trace.stream().map(TraceEvent::description).toList();
    }

    /** A server-streaming call that lasts about two seconds: in flight while the connection is replaced. */
    private static final class LongCall {
        static final int RESPONSES = 8;

        private final AtomicInteger responses = new AtomicInteger();
        private final ConcurrentLinkedQueue<Status> status = new ConcurrentLinkedQueue<>();

        static LongCall start(LbChannel channel) {
            LongCall call = new LongCall();
            StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
            for (int i = 0; i < RESPONSES; i++) {
                request.addResponseParameters(ResponseParameters.newBuilder().setSize(16).setIntervalUs(250_000));
            }
            ClientCalls.asyncServerStreamingCall(channel.newCall(TestServiceGrpc.getStreamingOutputCallMethod(),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)), request.build(), new StreamObserver<>() {
                        @Override
                        public void onNext(StreamingOutputCallResponse value) {
                            call.responses.incrementAndGet();
                        }

                        @Override
                        public void onError(Throwable t) {
                            call.status.add(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            call.status.add(Status.OK);
                        }
                    });
            return call;
        }

        int responses() {
            return responses.get();
        }

        Status awaitStatus() {
            Await.until("the long call ended", Duration.ofSeconds(30), () -> !status.isEmpty());
            Iterator<Status> first = status.iterator();
            return first.next();
        }
    }
}
