package dev.lbchannel;

import dev.lbchannel.testing.RecordingCallListener;
import dev.lbchannel.testing.RecordingStreamTracer;
import dev.lbchannel.testing.TestBackend;
import dev.lbchannel.transport.TlsContexts;
import dev.lbchannel.transport.TransportAttributes;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a call knows of the connection it was picked onto ({@code ClientCall.getAttributes()},
 * stream tracers), and the per-call {@code :authority} of {@code CallOptions.withAuthority},
 * which a TLS connection carries only when the server's certificate covers it.
 */
@Timeout(60)
class CallAttributesTests {

    private TestBackend backend;
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        backend.close();
    }

    private void connect(boolean tls) {
        backend = TestBackend.start(tls);
        LbChannelBuilder builder = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port());
        channel = (tls ? builder.sslContext(TlsContexts.forClient(backend.trustManagerFactory()))
                .overrideAuthority(backend.authority()) : builder.usePlaintext()).build();
    }

    private Attributes attributesOfACompletedCall(CallOptions options) {
        ClientCall<Empty, Empty> call = channel.newCall(TestServiceGrpc.getEmptyCallMethod(),
                options.withDeadlineAfter(20, TimeUnit.SECONDS));
        RecordingCallListener<Empty> listener = new RecordingCallListener<>();
        call.start(listener, new Metadata());
        assertThat(call.getAttributes()).isNotNull();
        call.request(1);
        call.sendMessage(Empty.getDefaultInstance());
        call.halfClose();
        listener.awaitHeaders();
        Attributes attributes = call.getAttributes();
        assertThat(listener.awaitStatus().isOk()).isTrue();
        return attributes;
    }

    private void emptyCall(CallOptions options) {
        ClientCalls.blockingUnaryCall(channel, TestServiceGrpc.getEmptyCallMethod(),
                options.withDeadlineAfter(20, TimeUnit.SECONDS), Empty.getDefaultInstance());
    }

    @Test
    void aPlaintextCallSeesItsAddressesAndNoSecurity() {
        connect(false);

        Attributes attributes = attributesOfACompletedCall(CallOptions.DEFAULT);

        assertThat(attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)).isEqualTo(backend.address());
        assertThat(attributes.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR)).isNotNull();
        assertThat(attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION)).isNull();
        assertThat(attributes.get(TransportAttributes.SECURITY_LEVEL)).isEqualTo(SecurityLevel.NONE);
    }

    @Test
    void aCallClosedTrailersOnlyStillSeesTheConnectionItWasOn() {
        // As grpc-java: the attempt that ended the call commits it, so interceptors (observations,
        // logs) reading the peer in onClose find it even without response headers.
        connect(false);
        ClientCall<Empty, Empty> call = channel.newCall(TestServiceGrpc.getUnimplementedCallMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        RecordingCallListener<Empty> listener = new RecordingCallListener<>();
        call.start(listener, new Metadata());
        call.request(1);
        call.sendMessage(Empty.getDefaultInstance());
        call.halfClose();

        assertThat(listener.awaitStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)).isEqualTo(backend.address());
    }

    @Test
    void aTlsCallSeesItsSessionAndPrivacyAndTracersSeeTheSame() {
        connect(true);
        RecordingStreamTracer.Factory tracers = RecordingStreamTracer.factory();

        Attributes attributes = attributesOfACompletedCall(CallOptions.DEFAULT.withStreamTracerFactory(tracers));

        assertThat(attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION).getProtocol()).startsWith("TLS");
        assertThat(attributes.get(TransportAttributes.SECURITY_LEVEL)).isEqualTo(SecurityLevel.PRIVACY_AND_INTEGRITY);
        assertThat(tracers.tracers()).singleElement().satisfies(tracer ->
                assertThat(tracer.transportAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)).isEqualTo(backend.address()));
    }

    @Test
    void aPerCallAuthorityReachesTheServer() {
        connect(false);

        emptyCall(CallOptions.DEFAULT.withAuthority("orders.example:9000"));

        assertThat(backend.lastAuthority()).isEqualTo("orders.example:9000");
    }

    @Test
    void overTlsAPerCallAuthorityMustBeCoveredByTheServersCertificate() {
        connect(true);
        emptyCall(CallOptions.DEFAULT.withAuthority("127.0.0.1:" + backend.port()));
        assertThat(backend.lastAuthority()).isEqualTo("127.0.0.1:" + backend.port());

        int served = backend.callsStarted();
        assertThatThrownBy(() -> emptyCall(CallOptions.DEFAULT.withAuthority("evil.example.com")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("evil.example.com", "certificate");
                });
        assertThat(backend.callsStarted()).isEqualTo(served);
    }
}
