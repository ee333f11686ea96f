package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.autoconfigure.ChannelProperties;
import dev.lbchannel.boot.autoconfigure.LbChannelProperties;
import io.grpc.ConnectivityState;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/shared-defaults.yml}: three channels, each to its own TLS backend (one test CA
 * for all, as the shared bundle assumes), observed at the servers: TLS, authority, user-agent,
 * deadlines; in the channels: the policy, and the default idle timeout at work (shortened on the
 * command line); and, as bound, the keepalive and idle settings every channel takes from the defaults.
 */
@Timeout(60)
class SharedDefaultsSampleTests {

    private static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
    private static final Pki PKI = Pki.create("internal test CA");

    @TempDir
    static Path tlsDir;

    private static Map<String, GrpcBackend> backends;
    private static Sample sample;

    @BeforeAll
    static void start() {
        PKI.writeCa(tlsDir);
        X509Bundle certificate = PKI.server("orders.internal", "inventory.internal", "recommendations.internal");
        backends = Map.of("orders", GrpcBackend.tls(certificate), "inventory", GrpcBackend.tls(certificate),
                "recommendations", GrpcBackend.tls(certificate));
        sample = startSample();
    }

    private static Sample startSample(String... overrides) {
        List<String> properties = new ArrayList<>(List.of("internal.tls-dir=" + tlsDir,
                "orders.address=" + backends.get("orders").address(),
                "inventory.address=" + backends.get("inventory").address(),
                "recommendations.address=" + backends.get("recommendations").address()));
        properties.addAll(List.of(overrides));
        return Sample.start("shared-defaults", properties.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (sample != null) {
            sample.close();
        }
        for (GrpcBackend backend : backends.values()) {
            backend.close();
        }
    }

    @Test
    void everyChannelTakesTheSharedBundleAndUserAgent() {
        for (String name : backends.keySet()) {
            TestServiceGrpc.newBlockingStub(sample.channel(name)).emptyCall(Empty.getDefaultInstance());

            GrpcBackend backend = backends.get(name);
            assertThat(backend.lastAuthority()).as(name).isEqualTo(name + ".internal");
            assertThat(backend.lastHeaders().get(USER_AGENT)).as(name).startsWith("storefront/2.3 ");
            assertThat(sample.channel(name).snapshot().subchannels().get(0).sockets().get(0).stats().tls())
                    .as(name).isNotNull();
        }
    }

    @Test
    void aChannelsOwnDeadlineWinsOverTheDefaultOne() {
        TestServiceGrpc.newBlockingStub(sample.channel("orders")).emptyCall(Empty.getDefaultInstance());
        TestServiceGrpc.newBlockingStub(sample.channel("inventory")).emptyCall(Empty.getDefaultInstance());

        assertThat(backends.get("orders").lastDeadline().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1_000L, 5_000L);
        assertThat(backends.get("inventory").lastDeadline().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 800L);
    }

    @Test
    void theDefaultPolicyAppliesUnlessAChannelsServiceConfigReplacesIt() {
        for (String name : backends.keySet()) {
            TestServiceGrpc.newBlockingStub(sample.channel(name)).emptyCall(Empty.getDefaultInstance());
        }

        assertThat(policy("orders")).isEqualTo("round_robin");
        assertThat(policy("inventory")).isEqualTo("round_robin");
        assertThat(policy("recommendations")).isEqualTo("pick_first");
    }

    @Test
    void theDefaultServiceConfigAppliesUnlessAChannelsOwnReplacesIt() {
        assertThat(healthCheckDeadlineMillis("orders")).isBetween(1L, 1_000L);
        assertThat(healthCheckDeadlineMillis("inventory")).isBetween(1L, 800L);
        // recommendations has its own service config, without the health-check timeout: the 5 s default deadline.
        assertThat(healthCheckDeadlineMillis("recommendations")).isBetween(1_001L, 5_000L);
    }

    @Test
    void everyChannelTakesTheDefaultKeepaliveAndIdleTimeout() {
        LbChannelProperties properties = sample.bean(LbChannelProperties.class);
        ChannelProperties defaults = properties.getDefaults();
        assertThat(defaults.getKeepalive().getTime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(defaults.getKeepalive().getTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.getIdle().getTimeout()).isEqualTo(Duration.ofMinutes(15));

        // A channel exposes no keepalive or idle setting, so check what it binds: none sets its own,
        // so the starter's field-by-field merge gives each one the defaults.
        for (String name : backends.keySet()) {
            ChannelProperties channel = properties.getChannels().get(name);
            assertThat(channel).as(name).isNotNull();
            assertThat(channel.getKeepalive().getTime()).as(name).isNull();
            assertThat(channel.getKeepalive().getTimeout()).as(name).isNull();
            assertThat(channel.getKeepalive().getWithoutCalls()).as(name).isNull();
            assertThat(channel.getIdle().getTimeout()).as(name).isNull();
        }
    }

    @Test
    void theDefaultIdleTimeoutReachesEveryChannel() {
        // The sample's 15 min, shortened on the command line under the same property name, to watch it act.
        try (Sample shortIdle = startSample("lbchannel.defaults.idle.timeout=1s")) {
            for (String name : backends.keySet()) {
                TestServiceGrpc.newBlockingStub(shortIdle.channel(name)).emptyCall(Empty.getDefaultInstance());
            }
            for (String name : backends.keySet()) {
                ChannelConditions.awaitState(shortIdle.channel(name), ConnectivityState.IDLE);
            }
        }
    }

    /** Checks health through the channel; returns the deadline the server saw, in milliseconds left. */
    private static long healthCheckDeadlineMillis(String name) {
        HealthGrpc.newBlockingStub(sample.channel(name)).check(HealthCheckRequest.getDefaultInstance());
        return backends.get(name).lastDeadline().timeRemaining(TimeUnit.MILLISECONDS);
    }

    private static String policy(String name) {
        LbChannel channel = sample.channel(name);
        return channel.snapshot().lbPolicy();
    }
}
