package dev.lbchannel;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.RefusedPort;
import dev.lbchannel.testing.TestBackend;
import dev.lbchannel.transport.TlsContexts;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authority a {@code static:///} list's calls carry, as grpc-java's server hears it, and the
 * name TLS verifies: the list's first entry for the channel, however long the list (joined, a list
 * of hundreds outgrows the server's 8 KiB header limit and every call failed); each later host
 * name its own, under round_robin and pick_first alike; the builder's authority over all of them.
 */
@Timeout(60)
class StaticTargetAuthorityTests {

    private final List<TestBackend> backends = new ArrayList<>();
    private LbChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void aLongListCarriesItsFirstEntryAsAuthority() {
        TestBackend backend = started(TestBackend.plaintext());
        StringJoiner list = new StringJoiner(",", "static:///", "");
        list.add("127.0.0.1:" + backend.port());
        for (int i = 0; i < 700; i++) {
            // pick_first connects to the first entry; the others are never dialled.
            list.add("127.0.0." + (2 + i % 200) + ":" + (20_000 + i));
        }
        assertThat(list.length()).as("the joined list is longer than the server's header limit").isGreaterThan(8192);
        channel = LbChannelBuilder.forTarget(list.toString()).usePlaintext().build();

        emptyCall();

        assertThat(channel.authority()).isEqualTo("127.0.0.1:" + backend.port());
        assertThat(backend.lastAuthority()).isEqualTo("127.0.0.1:" + backend.port());
    }

    @Test
    void eachHostNameCarriesItsOwnAuthorityUnderRoundRobin() {
        TestBackend first = started(TestBackend.plaintext());
        TestBackend second = started(TestBackend.plaintext());
        channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + first.port() + ",localhost:" + second.port())
                .usePlaintext().defaultLoadBalancingPolicy("round_robin").build();

        callUntilBothServed(first, second);

        assertThat(channel.authority()).isEqualTo("127.0.0.1:" + first.port());
        assertThat(first.lastAuthority()).isEqualTo("127.0.0.1:" + first.port());
        assertThat(second.lastAuthority()).isEqualTo("localhost:" + second.port());
    }

    @Test
    void theBuildersAuthorityWinsOverTheEntries() {
        TestBackend first = started(TestBackend.plaintext());
        TestBackend second = started(TestBackend.plaintext());
        channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + first.port() + ",localhost:" + second.port())
                .usePlaintext().defaultLoadBalancingPolicy("round_robin").overrideAuthority("orders.internal").build();

        callUntilBothServed(first, second);

        assertThat(first.lastAuthority()).isEqualTo("orders.internal");
        assertThat(second.lastAuthority()).isEqualTo("orders.internal");
    }

    @Test
    void tlsVerifiesEachHostAgainstItsOwnNameUnderRoundRobin() throws Exception {
        X509Bundle ca = TestBackend.newCa();
        // Each certificate names its own host only: verified against the first entry, the second fails.
        TestBackend first = started(TestBackend.tlsFor(ca, "127.0.0.1"));
        TestBackend second = started(TestBackend.tlsFor(ca, "localhost"));
        channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + first.port() + ",localhost:" + second.port())
                .sslContext(TlsContexts.forClient(ca.toTrustManagerFactory()))
                .defaultLoadBalancingPolicy("round_robin").build();

        callUntilBothServed(first, second);

        assertThat(second.lastAuthority()).isEqualTo("localhost:" + second.port());
    }

    @Test
    void tlsVerifiesTheHostPickFirstFallsBackTo() throws Exception {
        X509Bundle ca = TestBackend.newCa();
        TestBackend second = started(TestBackend.tlsFor(ca, "localhost"));
        try (RefusedPort down = new RefusedPort()) {
            channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + down.port() + ",localhost:" + second.port())
                    .sslContext(TlsContexts.forClient(ca.toTrustManagerFactory())).build();

            emptyCall();

            assertThat(channel.authority()).isEqualTo("127.0.0.1:" + down.port());
            assertThat(second.lastAuthority()).isEqualTo("localhost:" + second.port());
        }
    }

    @Test
    void anAddressListedTwiceKeepsItsFirstListingsAuthorityUnderPickFirst() {
        TestBackend backend = started(TestBackend.plaintext());
        // localhost resolves to 127.0.0.1 (and maybe ::1), which the first entry lists already.
        channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + backend.port() + ",localhost:" + backend.port())
                .usePlaintext().build();

        emptyCall();

        assertThat(backend.lastAuthority()).isEqualTo("127.0.0.1:" + backend.port());
    }

    @Test
    void callCredentialsHearTheConnectionsAuthority() throws Exception {
        TestBackend second = started(TestBackend.plaintext());
        AtomicReference<String> heard = new AtomicReference<>();
        CallCredentials credentials = new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                heard.set(info.getAuthority());
                applier.apply(new Metadata());
            }
        };
        try (RefusedPort down = new RefusedPort()) {
            channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + down.port() + ",localhost:" + second.port())
                    .usePlaintext().build();

            TestServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());

            assertThat(heard.get()).isEqualTo("localhost:" + second.port()).isEqualTo(second.lastAuthority());
        }
    }

    private TestBackend started(TestBackend backend) {
        backends.add(backend);
        return backend;
    }

    private void emptyCall() {
        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
    }

    /** Calls until round_robin has reached both: a call fails only while a connection is still being made. */
    private void callUntilBothServed(TestBackend first, TestBackend second) {
        Await.until("calls reach both backends", Duration.ofSeconds(20), () -> {
            try {
                TestServiceGrpc.newBlockingStub(channel).withWaitForReady().withDeadlineAfter(5, TimeUnit.SECONDS)
                        .emptyCall(Empty.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                throw new AssertionError("A call failed: " + e.getStatus(), e);
            }
            return first.callsStarted() > 0 && second.callsStarted() > 0;
        });
    }
}
