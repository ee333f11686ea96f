package dev.lbchannel;

import dev.lbchannel.testing.TestBackend;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A channel whose security does not match its server's fails with a status that says so and
 * names the setting to change, instead of a bare handshake error (issue 17): TLS against a
 * plaintext server, and plaintext against a TLS server, each against grpc-java's server.
 */
@Timeout(60)
class SecurityMismatchTests {

    private static TestBackend plaintext;
    private static TestBackend tls;

    @BeforeAll
    static void startBackends() {
        plaintext = TestBackend.plaintext();
        tls = TestBackend.tls();
    }

    @AfterAll
    static void stopBackends() {
        plaintext.close();
        tls.close();
    }

    @Test
    void tlsAgainstAPlaintextServerSaysToUsePlaintext() {
        LbChannel channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + plaintext.port()).build();
        try {
            Status status = failure(channel);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("does not speak TLS").contains("plaintext: true")
                    .contains("usePlaintext()");
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void plaintextAgainstATlsServerSaysToUseTls() {
        LbChannel channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + tls.port()).usePlaintext().build();
        try {
            Status status = failure(channel);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("as a server that speaks TLS does")
                    .contains("remove plaintext: true").contains("usePlaintext()");
        } finally {
            channel.shutdownNow();
        }
    }

    private static Status failure(LbChannel channel) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> TestServiceGrpc
                .newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance()));
        assertThat(e).as("the call fails").isNotNull();
        return e.getStatus();
    }
}
