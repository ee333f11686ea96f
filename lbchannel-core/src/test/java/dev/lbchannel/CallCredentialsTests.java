package dev.lbchannel;

import dev.lbchannel.testing.RecordingCallListener;
import dev.lbchannel.testing.TestBackend;
import dev.lbchannel.transport.TlsContexts;
import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code CallOptions.withCallCredentials} (and so a stub's {@code withCallCredentials}) is
 * applied to every call on its connection: the credentials learn the method, the authority and
 * the connection's security level, their metadata reaches the server, and their failure is the
 * call's, mapped as gRFC A54 says. Real grpc-java servers, plaintext and TLS.
 */
@Timeout(60)
class CallCredentialsTests {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private TestBackend backend;
    private LbChannel channel;
    private final ExecutorService tokenThreads = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        backend.close();
        tokenThreads.shutdownNow();
    }

    private void connect(boolean tls) {
        backend = TestBackend.start(tls);
        LbChannelBuilder builder = LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + backend.port());
        channel = (tls ? builder.sslContext(TlsContexts.forClient(backend.trustManagerFactory()))
                .overrideAuthority(backend.authority()) : builder.usePlaintext()).build();
    }

    /** Credentials that record what they were told and answer through {@code answer}. */
    private static final class Recording extends CallCredentials {
        final CompletableFuture<RequestInfo> info = new CompletableFuture<>();
        private final BiConsumer<Executor, MetadataApplier> answer;

        Recording(BiConsumer<Executor, MetadataApplier> answer) {
            this.answer = answer;
        }

        @Override
        public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
            info.complete(requestInfo);
            answer.accept(appExecutor, applier);
        }
    }

    private static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return headers;
    }

    @Test
    void aStubsCallCredentialsReachTheServerOverTls() throws Exception {
        connect(true);
        Recording credentials = new Recording((executor, applier) -> applier.apply(bearer("secret-token")));

        TestServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());

        assertThat(backend.lastHeaders().get(AUTHORIZATION)).isEqualTo("Bearer secret-token");
        CallCredentials.RequestInfo info = credentials.info.get(1, TimeUnit.SECONDS);
        assertThat(info.getMethodDescriptor().getFullMethodName()).isEqualTo("grpc.testing.TestService/EmptyCall");
        assertThat(info.getAuthority()).isEqualTo(backend.authority());
        assertThat(info.getSecurityLevel()).isEqualTo(SecurityLevel.PRIVACY_AND_INTEGRITY);
        Attributes transport = info.getTransportAttrs();
        assertThat(transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)).isEqualTo(backend.address());
        assertThat(transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION)).isNotNull();
    }

    @Test
    void plaintextConnectionsSaySecurityLevelNoneSoCredentialsCanRefuseThem() {
        connect(false);
        Recording credentials = new Recording((executor, applier) -> applier.fail(
                Status.UNAUTHENTICATED.withDescription("tokens only over TLS")));

        var stub = TestServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> stub.emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("tokens only over TLS");
                });
        assertThat(credentials.info.join().getSecurityLevel()).isEqualTo(SecurityLevel.NONE);
        assertThat(backend.callsStarted()).isZero();
    }

    @Test
    void credentialsMayAnswerLaterFromAnotherThread() {
        connect(false);
        Recording credentials = new Recording((executor, applier) ->
                tokenThreads.execute(() -> applier.apply(bearer("fetched-later"))));

        TestServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());

        assertThat(backend.lastHeaders().get(AUTHORIZATION)).isEqualTo("Bearer fetched-later");
    }

    @Test
    void aFailureWithACodeOnlyServersMaySendBecomesInternal() {
        connect(false);
        Recording credentials = new Recording((executor, applier) -> applier.fail(
                Status.NOT_FOUND.withDescription("no such token")));

        var stub = TestServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> stub.emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).contains("NOT_FOUND", "no such token", "A54");
                });
    }

    @Test
    void credentialsThatThrowFailTheCallUnauthenticated() {
        connect(false);
        Recording credentials = new Recording((executor, applier) -> {
            throw new IllegalStateException("token store unreachable");
        });

        var stub = TestServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> stub.emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getCause()).hasMessage("token store unreachable");
                });
    }

    @Test
    void credentialsThatNeverAnswerHoldTheCallOnlyUntilItsDeadline() throws InterruptedException {
        connect(false);
        Recording silent = new Recording((executor, applier) -> { });

        var stub = TestServiceGrpc.newBlockingStub(channel).withCallCredentials(silent)
                .withDeadlineAfter(300, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> stub.emptyCall(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

        ClientCall<Empty, Empty> waiting = channel.newCall(TestServiceGrpc.getEmptyCallMethod(),
                CallOptions.DEFAULT.withCallCredentials(new Recording((executor, applier) -> { })));
        RecordingCallListener<Empty> listener = new RecordingCallListener<>();
        waiting.start(listener, new Metadata());
        channel.shutdownNow();
        assertThat(listener.awaitStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}
